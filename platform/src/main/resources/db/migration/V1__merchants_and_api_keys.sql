-- Merchants and their secret API keys. A key is shown once, at creation; only its SHA-256 is kept.
-- SHA-256 without a salt is enough here: a key is 238 random bits, so there is nothing to guess,
-- and the lookup by hash must be a single index probe on every request.

CREATE TABLE merchants (
    id          text        PRIMARY KEY CHECK (id ~ '^mer_[A-Za-z0-9]{16,40}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           text        PRIMARY KEY CHECK (id ~ '^key_[A-Za-z0-9]{16,40}$'),
    merchant_id  text        NOT NULL REFERENCES merchants (id),
    mode         text        NOT NULL CHECK (mode IN ('test', 'live')),
    -- the first characters of the key (sk_test_AbCd), to tell keys apart in listings and logs
    prefix       text        NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id);
