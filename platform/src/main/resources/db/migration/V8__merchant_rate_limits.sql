-- Per-merchant rate limits that replace the defaults of payrail.rate-limits for one class of
-- endpoint. Each change takes a new version from the sequence: the limiter hands it to Bucket4j,
-- which replaces a bucket's configuration in Redis when the version it is given is newer than the
-- stored one, so a change applies on the next request, without a restart and without a reset.

CREATE SEQUENCE merchant_rate_limit_versions;

CREATE TABLE merchant_rate_limits (
    merchant_id     text        NOT NULL REFERENCES merchants (id),
    endpoint_class  text        NOT NULL CHECK (endpoint_class IN ('merchant-writes', 'merchant-reads')),
    capacity        integer     NOT NULL CHECK (capacity BETWEEN 1 AND 1000000),
    period_seconds  integer     NOT NULL CHECK (period_seconds BETWEEN 1 AND 86400),
    version         bigint      NOT NULL DEFAULT nextval('merchant_rate_limit_versions'),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, endpoint_class)
);
