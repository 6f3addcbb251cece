package io.payrail.platform.card;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Keysets in the shape {@code payrail.card-vault.keyset} takes, made the way an operator would. */
final class TestKeysets {

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TestKeysets() {}

  /** A keyset of one fresh key with these parameters. */
  static String of(Parameters parameters) throws GeneralSecurityException {
    return encode(KeysetHandle.generateNew(parameters));
  }

  /** The keyset with a fresh AES256_GCM key added as primary: a rotation. */
  static String rotated(String keyset) throws GeneralSecurityException {
    KeysetHandle old = decode(keyset);
    return encode(
        KeysetHandle.newBuilder(old)
            .addEntry(
                KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId()
                    .makePrimary())
            .build());
  }

  private static KeysetHandle decode(String keyset) throws GeneralSecurityException {
    String json = new String(Base64.getDecoder().decode(keyset), UTF_8);
    return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
  }

  private static String encode(KeysetHandle keyset) throws GeneralSecurityException {
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    return Base64.getEncoder().encodeToString(json.getBytes(UTF_8));
  }
}
