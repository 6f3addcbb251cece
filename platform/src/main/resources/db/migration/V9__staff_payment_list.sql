-- Operators list every merchant's payments newest first (GET /staff/v1/payments, keyset on
-- created_at, id); the merchant indexes of V2 cannot serve a list without a merchant.
CREATE INDEX payments_created_idx ON payments (created_at DESC, id DESC);
