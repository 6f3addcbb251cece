package io.payrail.platform.card;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's cryptography: Tink AEAD for a card's number and CVC, and a keyed fingerprint of the
 * number. Each ciphertext's associated data is its token and its field ({@code card_.../number}),
 * so a ciphertext copied to another row, or from the CVC column to the number column, does not
 * decrypt.
 */
final class CardCrypto {

  /** Which secret a ciphertext holds; part of its associated data. */
  enum Field {
    NUMBER,
    CVC,
    SECRET
  }

  /** 22 base64url characters: 132 bits of the HMAC, far beyond any collision among real cards. */
  static final int FINGERPRINT_LENGTH = 22;

  static final int MIN_FINGERPRINT_KEY_BYTES = 32;

  private static final String HMAC = "HmacSHA256";

  private static final String KEYSET = "payrail.card-vault.keyset (env PAYRAIL_CARD_VAULT_KEYSET)";
  private static final String FINGERPRINT_KEY =
      "payrail.card-vault.fingerprint-key (env PAYRAIL_CARD_VAULT_FINGERPRINT_KEY)";

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Aead aead;
  private final SecretKeySpec fingerprintKey;

  /**
   * @throws IllegalStateException naming the property whose value is malformed, never quoting it
   */
  CardCrypto(String keyset, String fingerprintKey) {
    this.aead = aeadOf(keyset);
    this.fingerprintKey = new SecretKeySpec(fingerprintKeyOf(fingerprintKey), HMAC);
  }

  static String newKeyset() {
    try {
      KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      String json =
          TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
      return Base64.getEncoder().encodeToString(json.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not generate an AES256_GCM key", e);
    }
  }

  static String newFingerprintKey() {
    byte[] key = new byte[MIN_FINGERPRINT_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  byte[] encrypt(String plaintext, String token, Field field) {
    try {
      return aead.encrypt(plaintext.getBytes(US_ASCII), associatedData(token, field));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not encrypt the " + field + " of " + token, e);
    }
  }

  /**
   * @throws IllegalStateException when the ciphertext was made for another token or field, or with
   *     a key no longer in the keyset
   */
  String decrypt(byte[] ciphertext, String token, Field field) {
    try {
      return new String(aead.decrypt(ciphertext, associatedData(token, field)), US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the "
              + field
              + " of "
              + token
              + " does not decrypt: it was encrypted for another card or field, or with a key"
              + " that is no longer in payrail.card-vault.keyset",
          e);
    }
  }

  /** The same for every token of one number, under one fingerprint key. */
  String fingerprint(String number) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(fingerprintKey);
      byte[] digest = mac.doFinal(number.getBytes(US_ASCII));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(digest)
          .substring(0, FINGERPRINT_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused HMAC-SHA256", e);
    }
  }

  private static byte[] associatedData(String token, Field field) {
    return (token + "/" + field.name().toLowerCase(Locale.ROOT)).getBytes(UTF_8);
  }

  private static Aead aeadOf(String keysetBase64) {
    KeysetHandle keyset;
    try {
      String json = new String(Base64.getDecoder().decode(keysetBase64.strip()), UTF_8);
      keyset = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw malformedKeyset("a base64-encoded Tink JSON keyset", e);
    }
    if (!(keyset.getPrimary().getKey().getParameters() instanceof AesGcmParameters parameters
        && parameters.getKeySizeBytes() == 32)) {
      throw malformedKeyset("a keyset whose primary key is AES256_GCM", null);
    }
    try {
      return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw malformedKeyset("a keyset of AEAD keys only", e);
    }
  }

  private static byte[] fingerprintKeyOf(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw malformedFingerprintKey("base64", e);
    }
    if (key.length < MIN_FINGERPRINT_KEY_BYTES) {
      throw malformedFingerprintKey(
          "at least " + MIN_FINGERPRINT_KEY_BYTES + " bytes, base64-encoded", null);
    }
    return key;
  }

  private static IllegalStateException malformedKeyset(String expected, Exception cause) {
    return malformed(KEYSET, expected, cause, "CardVault.newKeyset()");
  }

  private static IllegalStateException malformedFingerprintKey(String expected, Exception cause) {
    return malformed(FINGERPRINT_KEY, expected, cause, "CardVault.newFingerprintKey()");
  }

  /**
   * Names the cause's type but drops the cause itself: parsers quote their input in their messages,
   * and this input is a key.
   */
  private static IllegalStateException malformed(
      String setting, String expected, Exception cause, String generator) {
    return new IllegalStateException(
        setting
            + " must be "
            + expected
            + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")")
            + "; "
            + generator
            + " makes one");
  }
}
