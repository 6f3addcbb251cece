-- The audit log (docs/audit.md), and the split between the role that owns the schema and the role
-- the applications connect as.
--
-- Flyway runs as the owner (spring.flyway.user); the api and the workers connect as payrail_app
-- (spring.datasource.username), which may read and write every table but may only read and append
-- to audit_log. A trigger refuses UPDATE, DELETE and TRUNCATE of audit_log to every role, the owner
-- included, so changing history takes disabling the trigger first: something only the owner or a
-- superuser can do, and something the hash chain still reveals.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'payrail_app') THEN
        -- Created without LOGIN: whoever runs the database gives it a password (docs/audit.md).
        CREATE ROLE payrail_app NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'the application role payrail_app does not exist and % may not create it: '
        'create it first (docs/audit.md, "Database roles")', current_user;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} TO payrail_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${flyway:defaultSchema} TO payrail_app;
-- Tables and sequences the owner creates in later migrations are granted the same at creation.
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO payrail_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO payrail_app;
-- The migration history is the owner's alone.
REVOKE ALL ON TABLE ${flyway:defaultSchema}.${flyway:table} FROM payrail_app;

CREATE TABLE audit_log (
    -- 1, 2, 3... without gaps: a missing number is a deleted record
    seq                  bigint      PRIMARY KEY CHECK (seq > 0),
    occurred_at          timestamptz NOT NULL,
    -- who: Caller's kind (merchant, staff, bootstrap, system), identity and credential
    actor_kind           text        NOT NULL CHECK (length(actor_kind) <= 20),
    actor_id             text        NOT NULL CHECK (length(actor_id) <= 200),
    actor_credential_id  text        NOT NULL CHECK (length(actor_credential_id) <= 200),
    actor_name           text        NOT NULL CHECK (length(actor_name) <= 200),
    actor_role           text        NOT NULL CHECK (length(actor_role) <= 40),
    action               text        NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    target_type          text        NOT NULL CHECK (length(target_type) <= 60),
    target_id            text        NOT NULL CHECK (length(target_id) <= 200),
    -- the correlation id of the request (X-Request-Id); null for work no request started
    request_id           text        CHECK (length(request_id) <= 200),
    -- before/after as canonical JSON, kept as the exact text that was hashed
    changes              text        NOT NULL CHECK ((changes::jsonb) IS NOT NULL),
    prev_hash            text        NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash                 text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, seq);

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM payrail_app;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
