-- Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d).
-- POSTGRES_DB creates the payrail database; Temporal's auto-setup creates its own two.
-- Payrail's tables are created by Flyway when the api or the workers start.
ALTER DATABASE payrail SET timezone TO 'UTC';
