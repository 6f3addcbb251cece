package io.payrail.platform.card;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The card vault's keys ({@code payrail.card-vault}, env {@code PAYRAIL_CARD_VAULT_KEYSET} and
 * {@code PAYRAIL_CARD_VAULT_FINGERPRINT_KEY}). Make them with {@link CardVault#newKeyset()} and
 * {@link CardVault#newFingerprintKey()}, keep them in a secret store, never in a repository.
 *
 * <p>Only presence is checked here. The shape of each key is checked when the vault is built,
 * because a binding failure prints the offending value in the start-up report, and these values
 * must never reach a log.
 *
 * @param keyset a Tink AEAD keyset whose primary key is AES256_GCM, as Tink's JSON keyset text,
 *     base64-encoded
 * @param fingerprintKey the HMAC-SHA256 key of card fingerprints, base64, at least 32 bytes
 */
@Validated
@ConfigurationProperties("payrail.card-vault")
public record CardVaultProperties(
    @NotBlank(
            message =
                "is required (env PAYRAIL_CARD_VAULT_KEYSET); CardVault.newKeyset() makes one")
        String keyset,
    @NotBlank(
            message =
                "is required (env PAYRAIL_CARD_VAULT_FINGERPRINT_KEY);"
                    + " CardVault.newFingerprintKey() makes one")
        String fingerprintKey) {

  @Override
  public String toString() {
    return "CardVaultProperties[keyset=<secret>, fingerprintKey=<secret>]";
  }
}
