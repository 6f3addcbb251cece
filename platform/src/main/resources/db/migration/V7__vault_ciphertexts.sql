-- Card data and webhook signing secrets are encrypted by Vault's transit engine (issue 7): each
-- ciphertext is text that names the key version that made it (vault:v3:...). The generated columns
-- hold the oldest version a row still uses, so the rewrap job finds what to move to the newest
-- version with an index, and an operator sees when a minimum decryption version may be raised.
--
-- Ciphertexts sealed by the Tink keyset of earlier versions cannot be converted here (Tink's key
-- is not in Vault): nothing was deployed, so a database that holds any refuses to migrate, and a
-- local stack's home must be deleted (.payrail/local) rather than carry unreadable cards.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM cards) OR EXISTS (SELECT 1 FROM webhook_endpoints) THEN
        RAISE EXCEPTION 'cards or webhook endpoints sealed with the pre-Vault Tink keyset exist;'
            ' they cannot be moved to Vault: reset this database (see docs/secrets.md)';
    END IF;
END
$$;

CREATE FUNCTION vault_key_version(ciphertext text) RETURNS int
    LANGUAGE sql IMMUTABLE STRICT
    RETURN substring(ciphertext FROM '^vault:v([0-9]+):')::int;

ALTER TABLE cards
    ALTER COLUMN pan_ciphertext TYPE text USING NULL,
    ALTER COLUMN cvc_ciphertext TYPE text USING NULL,
    ADD CONSTRAINT cards_pan_ciphertext_vault CHECK (pan_ciphertext ~ '^vault:v[0-9]+:'),
    ADD CONSTRAINT cards_cvc_ciphertext_vault CHECK (cvc_ciphertext ~ '^vault:v[0-9]+:'),
    ADD COLUMN key_version int GENERATED ALWAYS AS
        (LEAST(vault_key_version(pan_ciphertext), vault_key_version(cvc_ciphertext))) STORED;

CREATE INDEX cards_key_version_idx ON cards (key_version);

ALTER TABLE webhook_endpoints
    ALTER COLUMN secret_sealed TYPE text USING NULL,
    ALTER COLUMN previous_secret_sealed TYPE text USING NULL,
    ADD CONSTRAINT webhook_endpoints_secret_vault CHECK (secret_sealed ~ '^vault:v[0-9]+:'),
    ADD CONSTRAINT webhook_endpoints_previous_secret_vault
        CHECK (previous_secret_sealed ~ '^vault:v[0-9]+:'),
    ADD COLUMN secret_key_version int GENERATED ALWAYS AS
        (LEAST(vault_key_version(secret_sealed), vault_key_version(previous_secret_sealed))) STORED;

CREATE INDEX webhook_endpoints_secret_key_version_idx ON webhook_endpoints (secret_key_version);
