#!/bin/sh
# Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d), before
# init-payrail.sql. Creates the applications' role; Flyway (as POSTGRES_USER, the owner) grants it
# what it needs in V6__audit_log.sql: every table, but only SELECT and INSERT on audit_log.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$PAYRAIL_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE payrail_app LOGIN PASSWORD :'app_password';
SQL
