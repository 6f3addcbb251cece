package io.payrail.localstack;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's card-vault keys: generated on the first run and kept in {@code
 * secrets.properties} (owner-only) in its home, so cards stored by one run still decrypt in the
 * next. They reach the applications as environment variables, never as arguments that {@code ps}
 * shows. Production takes them from its secret store instead (Vault, a later issue).
 */
final class LocalSecrets {

  private static final String KEYSET = "PAYRAIL_CARD_VAULT_KEYSET";
  private static final String FINGERPRINT_KEY = "PAYRAIL_CARD_VAULT_FINGERPRINT_KEY";

  private LocalSecrets() {}

  /** The environment variables both applications need, created once per home. */
  static Map<String, String> ensure(Path home) {
    Path file = home.resolve("secrets.properties");
    try {
      Properties secrets = new Properties();
      if (Files.exists(file)) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          secrets.load(in);
        }
      } else {
        secrets.setProperty(KEYSET, newKeyset());
        secrets.setProperty(FINGERPRINT_KEY, newFingerprintKey());
        Files.createDirectories(home);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          secrets.store(out, "Local card-vault keys: losing them makes stored cards unreadable");
        }
      }
      return Map.of(
          KEYSET,
          secrets.getProperty(KEYSET),
          FINGERPRINT_KEY,
          secrets.getProperty(FINGERPRINT_KEY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  private static String newKeyset() {
    try {
      AeadConfig.register();
      KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
      String json =
          TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
      return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not generate an AES256_GCM key", e);
    }
  }

  private static String newFingerprintKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
