-- Payments: the card vault, payments and their append-only transitions, the event outbox, the
-- double-entry ledger and idempotency keys. Money is always bigint minor units plus an ISO 4217
-- code; there is no numeric or floating column anywhere.

CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;

-- The card vault. The number (and the CVC, until the authorization has used it) is kept only as
-- AEAD ciphertext bound to the token; everything else is safe to show: brand, BIN, last four,
-- expiry and a keyed fingerprint (HMAC of the number) that tells two cards apart across tokens.
CREATE TABLE cards (
    token           text        PRIMARY KEY CHECK (token ~ '^card_[A-Za-z0-9]{24}$'),
    merchant_id     text        NOT NULL REFERENCES merchants (id),
    brand           text        NOT NULL,
    bin             text        NOT NULL CHECK (bin ~ '^[0-9]{6}$'),
    last4           text        NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    exp_month       int         NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year        int         NOT NULL CHECK (exp_year BETWEEN 2000 AND 2100),
    holder_name     text        CHECK (length(holder_name) <= 200),
    fingerprint     text        NOT NULL,
    pan_ciphertext  bytea       NOT NULL,
    cvc_ciphertext  bytea,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX cards_merchant_fingerprint_idx ON cards (merchant_id, fingerprint);

CREATE TABLE payments (
    id                    text        PRIMARY KEY CHECK (id ~ '^pay_[A-Za-z0-9]{24}$'),
    merchant_id           text        NOT NULL REFERENCES merchants (id),
    amount                bigint      NOT NULL CHECK (amount > 0),
    currency              text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_captured       bigint      NOT NULL DEFAULT 0 CHECK (amount_captured BETWEEN 0 AND amount),
    status                text        NOT NULL CHECK (status IN
                              ('processing', 'requires_capture', 'succeeded', 'canceled', 'failed')),
    capture_method        text        NOT NULL CHECK (capture_method IN ('automatic', 'manual')),
    card_token            text        NOT NULL REFERENCES cards (token),
    description           text        CHECK (length(description) <= 1000),
    statement_descriptor  text        CHECK (length(statement_descriptor) <= 22),
    metadata              jsonb       NOT NULL DEFAULT '{}',
    customer_email        text        CHECK (length(customer_email) <= 254),
    authorization_id      text,
    decline_code          text,
    failure_message       text,
    cancellation_reason   text,
    -- the sequence number of the last transition applied: transitions apply in order, once
    last_sequence         int         NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Listing newest first, by merchant, with keyset pagination on (created_at, id).
CREATE INDEX payments_merchant_created_idx ON payments (merchant_id, created_at DESC, id DESC);
CREATE INDEX payments_merchant_status_created_idx
    ON payments (merchant_id, status, created_at DESC, id DESC);

CREATE TABLE payment_transitions (
    payment_id       text        NOT NULL REFERENCES payments (id),
    sequence         int         NOT NULL CHECK (sequence > 0),
    from_status      text        NOT NULL,
    to_status        text        NOT NULL,
    amount_captured  bigint      NOT NULL,
    decline_code     text,
    reason           text,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (payment_id, sequence)
);

CREATE TRIGGER payment_transitions_append_only
    BEFORE UPDATE OR DELETE ON payment_transitions
    FOR EACH ROW EXECUTE FUNCTION reject_change();

-- Every event, written in the same transaction as the change it tells of (transactional outbox),
-- then published to Kafka by a relay. The id is derived from (object, transition), so a retried
-- activity writes the same event once and consumers deduplicate on it.
CREATE TABLE events (
    id            text        PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]{8,80}$'),
    type          text        NOT NULL,
    api_version   text        NOT NULL,
    merchant_id   text        NOT NULL REFERENCES merchants (id),
    object_id     text        NOT NULL,
    topic         text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);

CREATE INDEX events_unpublished_idx ON events (created_at) WHERE published_at IS NULL;
CREATE INDEX events_object_idx ON events (object_id, created_at);

-- The double-entry ledger. An account is (code, merchant, currency); merchant is null for
-- Payrail's own accounts. Lines are signed: debit positive, credit negative. Entries and lines are
-- immutable; every entry's lines sum to zero (checked at commit); balances are kept in the same
-- transaction as the lines they sum.
CREATE TABLE ledger_accounts (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text        NOT NULL,
    merchant_id  text        REFERENCES merchants (id),
    currency     text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    balance      bigint      NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (code, merchant_id, currency)
);

CREATE TABLE journal_entries (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- one entry per (payment, transition, kind): a retried posting finds it and adds nothing
    idempotency_key  text        NOT NULL UNIQUE,
    kind             text        NOT NULL,
    payment_id       text        REFERENCES payments (id),
    currency         text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    posted_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE journal_lines (
    entry_id    bigint NOT NULL REFERENCES journal_entries (id),
    line_no     int    NOT NULL,
    account_id  bigint NOT NULL REFERENCES ledger_accounts (id),
    amount      bigint NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (entry_id, line_no)
);

CREATE INDEX journal_lines_account_idx ON journal_lines (account_id);

CREATE TRIGGER journal_entries_append_only
    BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE TRIGGER journal_lines_append_only
    BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE FUNCTION check_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
BEGIN
    SELECT sum(amount) INTO total FROM journal_lines WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance: lines sum to %', NEW.entry_id, total;
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER journal_lines_balance
    AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_entry_balances();

-- Idempotency keys, per merchant (Stripe's semantics). The first request with a key stores the
-- hash of its body and reserves the id of what it creates; the response is kept for replays.
CREATE TABLE idempotency_keys (
    merchant_id      text        NOT NULL REFERENCES merchants (id),
    key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_method   text        NOT NULL,
    request_path     text        NOT NULL,
    request_hash     bytea       NOT NULL CHECK (length(request_hash) = 32),
    resource_id      text        NOT NULL,
    -- set while a request holds the key; a holder that died loses it when this passes
    locked_until     timestamptz,
    response_status  int,
    response_body    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (merchant_id, key)
);

CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
