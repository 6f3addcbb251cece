-- Webhook endpoints, one delivery per (event, endpoint) (plus the merchant's redeliveries), and
-- every attempt of each.

CREATE TABLE webhook_endpoints (
    id                          text        PRIMARY KEY CHECK (id ~ '^we_[A-Za-z0-9]{24}$'),
    merchant_id                 text        NOT NULL REFERENCES merchants (id),
    url                         text        NOT NULL CHECK (length(url) <= 2048),
    enabled_events              text[]      NOT NULL,
    description                 text        CHECK (length(description) <= 500),
    status                      text        NOT NULL DEFAULT 'enabled'
                                            CHECK (status IN ('enabled', 'disabled')),
    -- signing secrets, sealed with the vault's key; the previous one signs too until it expires
    secret_sealed               bytea       NOT NULL,
    previous_secret_sealed      bytea,
    previous_secret_expires_at  timestamptz,
    -- since when every attempt failed; null after a success
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    deleted_at                  timestamptz
);

CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id)
    WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
    id           text        PRIMARY KEY CHECK (id ~ '^whd_[A-Za-z0-9]{24}$'),
    endpoint_id  text        NOT NULL REFERENCES webhook_endpoints (id),
    event_id     text        NOT NULL REFERENCES events (id),
    merchant_id  text        NOT NULL REFERENCES merchants (id),
    redelivery   boolean     NOT NULL DEFAULT false,
    status       text        NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'delivered', 'failed', 'canceled')),
    attempts     int         NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

-- The dispatcher makes one delivery per (event, endpoint), however often it sees the event.
CREATE UNIQUE INDEX webhook_deliveries_once_idx ON webhook_deliveries (event_id, endpoint_id)
    WHERE NOT redelivery;
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
    delivery_id       text        NOT NULL REFERENCES webhook_deliveries (id),
    attempt           int         NOT NULL CHECK (attempt > 0),
    attempted_at      timestamptz NOT NULL,
    status_code       int,
    latency_ms        int         NOT NULL,
    response_snippet  text        CHECK (length(response_snippet) <= 1024),
    error             text        CHECK (length(error) <= 500),
    PRIMARY KEY (delivery_id, attempt)
);
