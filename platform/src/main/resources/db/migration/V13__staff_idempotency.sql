-- Idempotency of staff requests (issue 8, finance reruns). Staff have no merchant, so the merchant
-- API's idempotency table does not fit: a staff request's key is its caller's subject and the
-- Idempotency-Key header. The first request claims the key with the SHA-256 of its body; the same
-- request again is answered with the stored response, another body with the same key is refused.
CREATE TABLE staff_idempotency_keys (
    subject          text        NOT NULL,
    idempotency_key  text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_path     text        NOT NULL,
    request_hash     text        NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    -- the run the request started (settlement reruns), and the answer given
    run_id           bigint      REFERENCES settlement_runs (id),
    response_status  int,
    response_body    jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, idempotency_key)
);
