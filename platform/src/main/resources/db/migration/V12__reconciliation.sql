-- Reconciliation (issue 8): the acquirer's daily settlement reports, each ingested once by the
-- SHA-256 of its bytes, every line of them with what it matched in Payrail's settlement items, and
-- the breaks finance works through. docs/reconciliation.md explains the matching.

-- One report file as the bank sent it. A corrected file for the same day is another report (its
-- hash differs); the breaks of the earlier one are then resolved as superseded.
CREATE TABLE settlement_reports (
    id              text        PRIMARY KEY CHECK (id ~ '^sr_[A-Za-z0-9]{24}$'),
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    report_date     date        NOT NULL,
    sha256          text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    line_count      int         NOT NULL CHECK (line_count >= 0),
    -- the sums of the file's columns, minor units: gross of captures + refunds, fees, signed net
    total_gross     bigint      NOT NULL CHECK (total_gross >= 0),
    total_fee       bigint      NOT NULL CHECK (total_fee >= 0),
    total_net       bigint      NOT NULL,
    status          text        NOT NULL CHECK (status IN ('ingested', 'reconciled')),
    matched_count   int         CHECK (matched_count >= 0),
    break_count     int         CHECK (break_count >= 0),
    workflow_id     text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    reconciled_at   timestamptz,
    -- ingested once: by the file's hash, within its day and currency (the empty reports of two
    -- days are the same bytes)
    UNIQUE (currency, report_date, sha256),
    CHECK ((status = 'reconciled')
           = (reconciled_at IS NOT NULL AND matched_count IS NOT NULL AND break_count IS NOT NULL))
);

CREATE INDEX settlement_reports_day_idx
    ON settlement_reports (currency, report_date DESC, received_at DESC);

-- Every line of a report, as reported, and what it matched: the settlement item of its reference
-- (and that item's capture or refund journal entry) or nothing. Immutable once written but for
-- the outcome, which matching sets once.
CREATE TABLE reconciliation_lines (
    report_id         text    NOT NULL REFERENCES settlement_reports (id),
    line_no           int     NOT NULL CHECK (line_no > 0),
    reference         text    NOT NULL CHECK (length(reference) BETWEEN 1 AND 128),
    type              text    NOT NULL CHECK (type IN ('capture', 'refund')),
    gross             bigint  NOT NULL CHECK (gross > 0),
    fee               bigint  NOT NULL CHECK (fee >= 0),
    net               bigint  NOT NULL,
    batch             text    NOT NULL,
    settled_date      date    NOT NULL,
    item_id           text    REFERENCES settlement_items (id),
    journal_entry_id  bigint  REFERENCES journal_entries (id),
    outcome           text    CHECK (outcome IN
                          ('matched', 'unexpected', 'amount_mismatch', 'duplicate')),
    PRIMARY KEY (report_id, line_no)
);

CREATE INDEX reconciliation_lines_reference_idx ON reconciliation_lines (reference);

-- A difference between the bank's report and Payrail's records, open until finance resolves it
-- (with a note, audited) or a later report explains it. One per report, kind and reference, so
-- matching twice opens nothing twice.
--   missing          Payrail settled an item of the report's day that no report line names
--   unexpected       a line whose reference Payrail has no item for
--   amount_mismatch  a line whose gross differs from the item's amount
--   duplicate        a reference reported more than once (one break, the extra lines counted)
CREATE TABLE reconciliation_breaks (
    id                text        PRIMARY KEY CHECK (id ~ '^rb_[A-Za-z0-9]{24}$'),
    report_id         text        NOT NULL REFERENCES settlement_reports (id),
    kind              text        NOT NULL CHECK (kind IN
                          ('missing', 'unexpected', 'amount_mismatch', 'duplicate')),
    reference         text        NOT NULL,
    item_id           text        REFERENCES settlement_items (id),
    currency          text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- Payrail's amount (the item's), null when Payrail has none; the bank's, null when missing
    expected_amount   bigint      CHECK (expected_amount > 0),
    reported_amount   bigint      CHECK (reported_amount > 0),
    -- duplicate: how many times the reference appears in the report
    occurrences       int         NOT NULL DEFAULT 1 CHECK (occurrences > 0),
    status            text        NOT NULL CHECK (status IN ('open', 'resolved')),
    resolution_note   text        CHECK (length(resolution_note) BETWEEN 1 AND 1000),
    resolved_by       text,
    resolved_at       timestamptz,
    opened_at         timestamptz NOT NULL DEFAULT now(),
    last_alerted_at   timestamptz,
    alert_count       int         NOT NULL DEFAULT 0 CHECK (alert_count >= 0),
    UNIQUE (report_id, kind, reference),
    CHECK ((status = 'resolved')
           = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL AND resolution_note IS NOT NULL)),
    CHECK (CASE kind
               WHEN 'missing' THEN expected_amount IS NOT NULL AND reported_amount IS NULL
                                   AND item_id IS NOT NULL
               WHEN 'unexpected' THEN expected_amount IS NULL AND reported_amount IS NOT NULL
                                      AND item_id IS NULL
               WHEN 'amount_mismatch' THEN expected_amount IS NOT NULL
                                           AND reported_amount IS NOT NULL
                                           AND expected_amount <> reported_amount
               ELSE reported_amount IS NOT NULL AND occurrences > 1
           END)
);

CREATE INDEX reconciliation_breaks_status_idx
    ON reconciliation_breaks (status, opened_at DESC, id DESC);
CREATE INDEX reconciliation_breaks_report_idx ON reconciliation_breaks (report_id, status);
CREATE INDEX reconciliation_breaks_reference_idx ON reconciliation_breaks (reference);

-- Matching finds the capture or refund entry of each reported item by its payment.
CREATE INDEX journal_entries_payment_kind_idx ON journal_entries (payment_id, kind);
