package io.payrail.platform.card;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.payrail.platform.vault.VaultCalls;
import io.payrail.platform.vault.VaultUnavailableException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.VaultResponse;
import org.springframework.vault.support.VaultTransitContext;

/**
 * The vault's cryptography, with keys that never leave Vault: a card's number and CVC, and webhook
 * signing secrets, are encrypted by Vault's transit engine ({@code transit/encrypt}), and the keyed
 * fingerprint of a number uses an HMAC key read once from Vault's KV store and kept in memory.
 *
 * <p>The transit keys are derived keys: each ciphertext is bound to its owner and field ({@code
 * card_.../number}) as its context, so a ciphertext copied to another row, or from the CVC column
 * to the number column, does not decrypt. A ciphertext names the key version that made it ({@code
 * vault:v3:...}), which is how rotation leaves old cards readable and how the rewrap job finds what
 * to move to the newest version.
 *
 * <p>Why transit and not envelope encryption: measured on this machine (docs/secrets.md), one
 * transit call costs well under a millisecond on loopback, two orders of magnitude below what a
 * payment's authorization costs, so the simpler design, which keeps no key in the application's
 * memory, wins.
 */
final class CardCrypto {

  /** Which secret a ciphertext holds: part of its context, and which transit key seals it. */
  enum Field {
    NUMBER(CARD_KEY),
    CVC(CARD_KEY),
    SECRET(SECRETS_KEY),
    /** A merchant's payout account number or IBAN: a secret Payrail must read back, like SECRET. */
    BANK_ACCOUNT(SECRETS_KEY);

    private final String transitKey;

    Field(String transitKey) {
      this.transitKey = transitKey;
    }

    String transitKey() {
      return transitKey;
    }
  }

  /** The transit key of card numbers and CVCs, as {@code infra/vault/setup.sh} makes it. */
  static final String CARD_KEY = "card-data";

  /** The transit key of webhook signing secrets. */
  static final String SECRETS_KEY = "webhook-secrets";

  /** 22 base64url characters: 132 bits of the HMAC, far beyond any collision among real cards. */
  static final int FINGERPRINT_LENGTH = 22;

  static final int MIN_FINGERPRINT_KEY_BYTES = 32;

  private static final String KV_MOUNT = "secret";
  private static final String FINGERPRINT_SECRET = "payrail/card-fingerprint";
  private static final String HMAC = "HmacSHA256";
  private static final Pattern VERSION = Pattern.compile("^vault:v([0-9]+):");

  private final VaultOperations vault;
  private final VaultTransitOperations transit;
  private volatile SecretKeySpec fingerprintKey;

  CardCrypto(VaultOperations vault) {
    this.vault = vault;
    this.transit = vault.opsForTransit();
  }

  /**
   * @throws VaultUnavailableException when Vault does not answer
   */
  String encrypt(String plaintext, String owner, Field field) {
    return VaultCalls.call(
        "encrypt " + field.transitKey(),
        () ->
            transit.encrypt(
                field.transitKey(), plaintext.getBytes(US_ASCII), context(owner, field)));
  }

  /**
   * @throws VaultUnavailableException when Vault does not answer
   * @throws IllegalStateException when the ciphertext was made for another owner or field, or with
   *     a key version below the key's minimum decryption version
   */
  String decrypt(String ciphertext, String owner, Field field) {
    byte[] plaintext;
    try {
      plaintext =
          VaultCalls.call(
              "decrypt " + field.transitKey(),
              () -> transit.decrypt(field.transitKey(), ciphertext, context(owner, field)));
    } catch (VaultUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // Vault's message may quote the ciphertext: name its type only.
      throw new IllegalStateException(
          "the "
              + field
              + " of "
              + owner
              + " does not decrypt: it was encrypted for another owner or field, or with a key"
              + " version Vault no longer decrypts ("
              + e.getClass().getSimpleName()
              + ")");
    }
    return new String(plaintext, US_ASCII);
  }

  /** The same secret, encrypted with the newest version of its key. */
  String rewrap(String ciphertext, String owner, Field field) {
    return VaultCalls.call(
        "rewrap " + field.transitKey(),
        () -> transit.rewrap(field.transitKey(), ciphertext, context(owner, field)));
  }

  /** The key version that made a ciphertext ({@code vault:v3:...} is 3). */
  static int keyVersion(String ciphertext) {
    Matcher matcher = VERSION.matcher(ciphertext);
    if (!matcher.find()) {
      throw new IllegalArgumentException("not a Vault transit ciphertext");
    }
    return Integer.parseInt(matcher.group(1));
  }

  /** The same for every token of one number, under one fingerprint key. */
  String fingerprint(String number) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(fingerprintKey());
      byte[] digest = mac.doFinal(number.getBytes(US_ASCII));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(digest)
          .substring(0, FINGERPRINT_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused HMAC-SHA256", e);
    }
  }

  /**
   * Read from Vault on first use, then kept: the key never changes (a new one would change every
   * fingerprint), and a card can be fingerprinted while Vault is briefly away.
   */
  private SecretKeySpec fingerprintKey() {
    SecretKeySpec key = fingerprintKey;
    if (key == null) {
      VaultResponse secret =
          VaultCalls.call(
              "read " + FINGERPRINT_SECRET,
              () -> vault.opsForKeyValue(KV_MOUNT, KeyValueBackend.KV_2).get(FINGERPRINT_SECRET));
      Map<String, Object> data = secret == null ? null : secret.getData();
      Object encoded = data == null ? null : data.get("key");
      key = new SecretKeySpec(fingerprintKeyOf(encoded), HMAC);
      fingerprintKey = key;
    }
    return key;
  }

  private static byte[] fingerprintKeyOf(Object encoded) {
    String where = KV_MOUNT + "/" + FINGERPRINT_SECRET + " (field key)";
    if (!(encoded instanceof String base64)) {
      throw new IllegalStateException(
          "Vault holds no card-fingerprint key at " + where + "; infra/vault/setup.sh makes one");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length < MIN_FINGERPRINT_KEY_BYTES) {
      // Never quote the value: it is a key.
      throw new IllegalStateException(
          "the card-fingerprint key at "
              + where
              + " must be at least "
              + MIN_FINGERPRINT_KEY_BYTES
              + " bytes, base64-encoded");
    }
    return key;
  }

  private static VaultTransitContext context(String owner, Field field) {
    return VaultTransitContext.builder()
        .context((owner + "/" + field.name().toLowerCase(Locale.ROOT)).getBytes(UTF_8))
        .build();
  }
}
