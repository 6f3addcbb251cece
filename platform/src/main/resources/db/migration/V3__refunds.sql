-- Refunds: one row per refund, an append-only history of its transitions, and the payment's
-- refunded amount, which only a succeeded refund raises (in the same transaction).

ALTER TABLE payments
    ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT payments_refunded_within_captured
        CHECK (amount_refunded BETWEEN 0 AND amount_captured);

CREATE TABLE refunds (
    id              text        PRIMARY KEY CHECK (id ~ '^re_[A-Za-z0-9]{24}$'),
    merchant_id     text        NOT NULL REFERENCES merchants (id),
    payment_id      text        NOT NULL REFERENCES payments (id),
    amount          bigint      NOT NULL CHECK (amount > 0),
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    reason          text        CHECK (reason IN ('duplicate', 'fraudulent', 'requested_by_customer')),
    failure_code    text,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    last_sequence   int         NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX refunds_merchant_created_idx ON refunds (merchant_id, created_at DESC, id DESC);
CREATE INDEX refunds_payment_created_idx ON refunds (payment_id, created_at DESC, id DESC);

CREATE TABLE refund_transitions (
    refund_id     text        NOT NULL REFERENCES refunds (id),
    sequence      int         NOT NULL CHECK (sequence > 0),
    from_status   text,
    to_status     text        NOT NULL,
    failure_code  text,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (refund_id, sequence)
);

CREATE TRIGGER refund_transitions_append_only
    BEFORE UPDATE OR DELETE ON refund_transitions
    FOR EACH ROW EXECUTE FUNCTION reject_change();

