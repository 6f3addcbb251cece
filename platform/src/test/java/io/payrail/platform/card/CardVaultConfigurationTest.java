package io.payrail.platform.card;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The vault starts only with well-formed keys, and a bad key stops start-up without a trace. */
class CardVaultConfigurationTest {

  private static final String KEYSET = CardVault.newKeyset();
  private static final String FINGERPRINT_KEY = CardVault.newFingerprintKey();

  private final ApplicationContextRunner withDatabase =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CardVaultConfiguration.class))
          .withBean(JdbcClient.class, () -> JdbcClient.create(new SimpleDriverDataSource()));

  @Test
  void withBothKeys_providesTheVault() {
    withDatabase
        .withPropertyValues(
            "payrail.card-vault.keyset=" + KEYSET,
            "payrail.card-vault.fingerprint-key=" + FINGERPRINT_KEY)
        .run(context -> assertThat(context).hasSingleBean(CardVault.class));
  }

  @Test
  void keysFromTheDocumentedEnvironmentVariables_bind() {
    withDatabase
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "PAYRAIL_CARD_VAULT_KEYSET", KEYSET,
                                "PAYRAIL_CARD_VAULT_FINGERPRINT_KEY", FINGERPRINT_KEY))))
        .run(context -> assertThat(context).hasSingleBean(CardVault.class));
  }

  @Test
  void withoutKeys_failsToStart_namingBothVariables() {
    withDatabase.run(
        context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("PAYRAIL_CARD_VAULT_KEYSET")
                .hasMessageContaining("PAYRAIL_CARD_VAULT_FINGERPRINT_KEY"));
  }

  @Test
  void withoutDatabase_needsNoKeys() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CardVaultConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(CardVault.class);
            });
  }

  static Stream<Arguments> malformedKeysets() throws Exception {
    String keysetJson = new String(Base64.getDecoder().decode(KEYSET), UTF_8);
    return Stream.of(
        Arguments.of("not base64", KEYSET.substring(0, 40) + "#" + KEYSET.substring(40)),
        Arguments.of("JSON, not base64", keysetJson),
        Arguments.of("cut short", base64(keysetJson.substring(0, keysetJson.length() - 20))),
        Arguments.of("AES128_GCM", TestKeysets.of(PredefinedAeadParameters.AES128_GCM)),
        Arguments.of("not AEAD", TestKeysets.of(PredefinedMacParameters.HMAC_SHA256_256BITTAG)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedKeysets")
  void malformedKeyset_failsToStart_namingTheSettingButNotTheValue(String what, String keyset) {
    withDatabase
        .withPropertyValues(
            "payrail.card-vault.keyset=" + keyset,
            "payrail.card-vault.fingerprint-key=" + FINGERPRINT_KEY)
        .run(
            context ->
                assertStartupFailure(context.getStartupFailure(), keyset)
                    .contains("payrail.card-vault.keyset (env PAYRAIL_CARD_VAULT_KEYSET)")
                    .contains("CardVault.newKeyset()"));
  }

  static Stream<Arguments> malformedFingerprintKeys() {
    byte[] shortKey = Base64.getDecoder().decode(FINGERPRINT_KEY);
    return Stream.of(
        Arguments.of("not base64", FINGERPRINT_KEY.replace('=', '%')),
        Arguments.of("31 bytes", base64(Arrays.copyOf(shortKey, 31))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFingerprintKeys")
  void malformedFingerprintKey_failsToStart_namingTheSettingButNotTheValue(
      String what, String fingerprintKey) {
    withDatabase
        .withPropertyValues(
            "payrail.card-vault.keyset=" + KEYSET,
            "payrail.card-vault.fingerprint-key=" + fingerprintKey)
        .run(
            context ->
                assertStartupFailure(context.getStartupFailure(), fingerprintKey)
                    .contains(
                        "payrail.card-vault.fingerprint-key"
                            + " (env PAYRAIL_CARD_VAULT_FINGERPRINT_KEY)"));
  }

  /**
   * Asserts on every message in the failure's chain, which is what a start-up log shows: none
   * quotes as much as 12 characters in a row of the value.
   */
  private static AbstractStringAssert<?> assertStartupFailure(Throwable failure, String value) {
    assertThat(failure).isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.append(cause).append('\n');
    }
    String[] pieces =
        IntStream.rangeClosed(0, value.length() - 12)
            .mapToObj(start -> value.substring(start, start + 12))
            .toArray(String[]::new);
    return assertThat(messages.toString()).doesNotContain(pieces);
  }

  private static String base64(String text) {
    return base64(text.getBytes(UTF_8));
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
