-- Notifications: receipts to customers (when the merchant opts in), alerts to merchants and to
-- Payrail's operators. One row per (event, template, channel, recipient), however often the
-- dispatcher sees the event; one NotificationWorkflow per row.

ALTER TABLE merchants
    -- where alerts about the merchant's account go (an endpoint disabled, later payouts)
    ADD COLUMN email             text    CHECK (length(email) <= 254),
    ADD COLUMN receipts_payments boolean NOT NULL DEFAULT false,
    ADD COLUMN receipts_refunds  boolean NOT NULL DEFAULT false;

CREATE TABLE notifications (
    id                   text        PRIMARY KEY CHECK (id ~ '^ntf_[A-Za-z0-9]{24}$'),
    event_id             text        NOT NULL REFERENCES events (id),
    -- the merchant the event concerns (an operator alert names one too)
    merchant_id          text        NOT NULL REFERENCES merchants (id),
    template             text        NOT NULL CHECK (template ~ '^[a-z_]{1,64}$'),
    channel              text        NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    recipient            text        NOT NULL CHECK (length(recipient) BETWEEN 1 AND 512),
    status               text        NOT NULL DEFAULT 'pending'
                                     CHECK (status IN ('pending', 'sent', 'failed')),
    attempts             int         NOT NULL DEFAULT 0,
    last_error           text        CHECK (length(last_error) <= 1000),
    provider_message_id  text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz,
    UNIQUE (event_id, template, channel, recipient)
);

CREATE INDEX notifications_merchant_idx ON notifications (merchant_id, created_at);
