-- Settlement (issue 8): merchants' effective-dated terms, the items to settle, daily runs and what
-- each run computed per merchant, payouts and the bank files that carry them. Money is bigint minor
-- units of the row's currency, as everywhere; docs/settlement.md explains the model.

-- Terms are versions, never edited: the version in force on a business date is the one with the
-- latest effective_from on or before it (the latest created among equals), so a correction of a
-- past day is a new version, and a rerun of that day shows what it changes.
CREATE TABLE settlement_terms (
    id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id            text        NOT NULL REFERENCES merchants (id),
    effective_from         date        NOT NULL,
    settlement_currency    text        NOT NULL CHECK (settlement_currency ~ '^[A-Z]{3}$'),
    -- blended pricing: fee_basis_points of the captured volume plus fee_fixed per capture
    fee_basis_points       int         NOT NULL CHECK (fee_basis_points BETWEEN 0 AND 10000),
    fee_fixed              bigint      NOT NULL CHECK (fee_fixed >= 0),
    -- what a refund does to fees: 'none' keeps every fee; 'percentage' gives back the percentage
    -- part on the refunded amount (the fixed part is kept)
    refund_fee_policy      text        NOT NULL CHECK (refund_fee_policy IN ('none', 'percentage')),
    payout_delay_days      int         NOT NULL CHECK (payout_delay_days BETWEEN 0 AND 30),
    minimum_payout         bigint      NOT NULL CHECK (minimum_payout >= 0),
    reserve_basis_points   int         NOT NULL CHECK (reserve_basis_points BETWEEN 0 AND 10000),
    reserve_hold_days      int         NOT NULL CHECK (reserve_hold_days BETWEEN 0 AND 365),
    payout_rail            text        NOT NULL CHECK (payout_rail IN ('ach', 'sepa')),
    account_holder         text        NOT NULL CHECK (length(account_holder) BETWEEN 1 AND 140),
    -- ach: the ABA routing number (public, kept in clear) and the account number (encrypted);
    -- sepa: the IBAN (encrypted) and the BIC (public)
    routing_number         text        CHECK (routing_number ~ '^[0-9]{9}$'),
    bic                    text        CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    account_ciphertext     text        NOT NULL CHECK (account_ciphertext ~ '^vault:v[0-9]+:'),
    account_last4          text        NOT NULL CHECK (account_last4 ~ '^[A-Z0-9]{4}$'),
    account_key_version    int         GENERATED ALWAYS AS
                               (vault_key_version(account_ciphertext)) STORED,
    created_at             timestamptz NOT NULL DEFAULT now(),
    created_by             text        NOT NULL,
    CHECK ((payout_rail = 'ach' AND routing_number IS NOT NULL AND bic IS NULL
            AND settlement_currency = 'USD')
        OR (payout_rail = 'sepa' AND bic IS NOT NULL AND routing_number IS NULL
            AND settlement_currency = 'EUR'))
);

CREATE INDEX settlement_terms_merchant_idx
    ON settlement_terms (merchant_id, effective_from DESC, id DESC);
CREATE INDEX settlement_terms_key_version_idx ON settlement_terms (account_key_version);

-- One run of one currency's business day. Run 1 is the scheduled run; a rerun is run n+1 beside
-- run n (supersedes_run_id) and replaces it only when a second finance user approves it.
CREATE TABLE settlement_runs (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    currency            text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    business_date       date        NOT NULL,
    run_number          int         NOT NULL CHECK (run_number > 0),
    workflow_id         text        NOT NULL UNIQUE,
    -- the business day: items that occurred in [window_start, window_end)
    window_start        timestamptz NOT NULL,
    window_end          timestamptz NOT NULL CHECK (window_end > window_start),
    status              text        NOT NULL CHECK (status IN
                            ('computing', 'awaiting_approval', 'posting', 'posted', 'superseded',
                             'rejected')),
    supersedes_run_id   bigint      REFERENCES settlement_runs (id),
    requested_by        text,
    reason              text        CHECK (length(reason) <= 1000),
    approved_by         text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    UNIQUE (currency, business_date, run_number),
    CHECK ((run_number = 1) = (supersedes_run_id IS NULL))
);

-- Every capture and every succeeded refund, written in the same transaction as the transition that
-- makes it (so gathering a day is an index range scan). settled_run_id is the run that settled the
-- item: set once from null, and changed afterwards only to the approved rerun that supersedes that
-- run (trigger below: approved = in status posting, which only the approval sets). An item is therefore settled by exactly one run, whatever runs twice.
CREATE TABLE settlement_items (
    id              text        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('capture', 'refund')),
    merchant_id     text        NOT NULL REFERENCES merchants (id),
    payment_id      text        NOT NULL REFERENCES payments (id),
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount          bigint      NOT NULL CHECK (amount > 0),
    -- the request id Payrail sent the bank: what the acquirer's reports name
    bank_reference  text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    settled_run_id  bigint      REFERENCES settlement_runs (id)
);

CREATE INDEX settlement_items_unsettled_idx
    ON settlement_items (currency, occurred_at, merchant_id) WHERE settled_run_id IS NULL;
CREATE INDEX settlement_items_run_idx ON settlement_items (settled_run_id, merchant_id);
CREATE INDEX settlement_items_bank_reference_idx ON settlement_items (bank_reference);

CREATE FUNCTION settle_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.settled_run_id IS NOT NULL AND NEW.settled_run_id IS DISTINCT FROM OLD.settled_run_id
       AND NOT EXISTS (SELECT 1 FROM settlement_runs
                       WHERE id = NEW.settled_run_id AND supersedes_run_id = OLD.settled_run_id
                         AND status = 'posting') THEN
        RAISE EXCEPTION 'settlement item % is already settled by run %', OLD.id, OLD.settled_run_id;
    END IF;
    IF ROW(NEW.id, NEW.kind, NEW.merchant_id, NEW.payment_id, NEW.currency, NEW.amount,
           NEW.bank_reference, NEW.occurred_at)
       IS DISTINCT FROM ROW(OLD.id, OLD.kind, OLD.merchant_id, OLD.payment_id, OLD.currency,
           OLD.amount, OLD.bank_reference, OLD.occurred_at) THEN
        RAISE EXCEPTION 'settlement item % is immutable but for its run', OLD.id;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER settlement_items_settle_once
    BEFORE UPDATE ON settlement_items
    FOR EACH ROW EXECUTE FUNCTION settle_once();

CREATE TRIGGER settlement_items_no_delete
    BEFORE DELETE ON settlement_items
    FOR EACH ROW EXECUTE FUNCTION reject_change();

-- What one run computed for one merchant; net = gross - refunds - fees - reserve_held +
-- reserve_released, exactly (checked). A proposed rerun's rows sit beside its predecessor's, which
-- is how the diff is read.
CREATE TABLE merchant_settlements (
    run_id            bigint  NOT NULL REFERENCES settlement_runs (id),
    merchant_id       text    NOT NULL REFERENCES merchants (id),
    terms_id          bigint  REFERENCES settlement_terms (id),
    capture_count     int     NOT NULL CHECK (capture_count >= 0),
    refund_count      int     NOT NULL CHECK (refund_count >= 0),
    gross             bigint  NOT NULL CHECK (gross >= 0),
    refunds           bigint  NOT NULL CHECK (refunds >= 0),
    fees              bigint  NOT NULL,
    reserve_held      bigint  NOT NULL CHECK (reserve_held >= 0),
    reserve_released  bigint  NOT NULL CHECK (reserve_released >= 0),
    net               bigint  NOT NULL,
    PRIMARY KEY (run_id, merchant_id),
    CHECK (net = gross - refunds - fees - reserve_held + reserve_released)
);

-- A payout: money leaving for a merchant's bank account. pending until its file is sent;
-- voided (a rerun replaced it before it was sent), in_transit, then paid, or failed with the
-- bank's return code and the amount credited back to the merchant's balance.
CREATE TABLE payouts (
    id                text        PRIMARY KEY CHECK (id ~ '^po_[A-Za-z0-9]{24}$'),
    merchant_id       text        NOT NULL REFERENCES merchants (id),
    run_id            bigint      NOT NULL REFERENCES settlement_runs (id),
    terms_id          bigint      NOT NULL REFERENCES settlement_terms (id),
    currency          text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount            bigint      NOT NULL CHECK (amount > 0),
    rail              text        NOT NULL CHECK (rail IN ('ach', 'sepa')),
    status            text        NOT NULL CHECK (status IN
                          ('pending', 'voided', 'in_transit', 'paid', 'failed')),
    payout_file_id    text,
    return_code       text        CHECK (return_code ~ '^[A-Z0-9]{2,8}$'),
    failure_message   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, merchant_id)
);

CREATE INDEX payouts_merchant_created_idx ON payouts (merchant_id, created_at DESC, id DESC);
CREATE INDEX payouts_file_idx ON payouts (payout_file_id);

-- A bank file: one per run and rail. Its bytes live in the outbox folder under file_name; the
-- SHA-256 and control totals recorded here are what validation and the bank's acknowledgement are
-- checked against.
CREATE TABLE payout_files (
    id                text        PRIMARY KEY CHECK (id ~ '^pf_[A-Za-z0-9]{24}$'),
    run_id            bigint      NOT NULL REFERENCES settlement_runs (id),
    rail              text        NOT NULL CHECK (rail IN ('ach', 'sepa')),
    currency          text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    format            text        NOT NULL CHECK (format IN ('nacha', 'pain.001.001.09')),
    file_name         text        NOT NULL UNIQUE,
    sha256            text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    entry_count       int         NOT NULL CHECK (entry_count > 0),
    total_amount      bigint      NOT NULL CHECK (total_amount > 0),
    -- format-specific control values (NACHA entry hash, batch count; pain.001 message id)
    control           jsonb       NOT NULL DEFAULT '{}',
    status            text        NOT NULL CHECK (status IN
                          ('generated', 'validated', 'approved', 'transmitted', 'acknowledged',
                           'rejected', 'voided')),
    approved_by       text,
    bank_file_id      text,
    transmitted_at    timestamptz,
    acknowledged_at   timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, rail)
);

ALTER TABLE payouts ADD CONSTRAINT payouts_file_fk
    FOREIGN KEY (payout_file_id) REFERENCES payout_files (id);

