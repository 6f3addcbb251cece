package io.payrail.platform.vault;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.VaultResponse;

/**
 * In the {@code production} profile, the database and Kafka credentials come from Vault, read once
 * at start-up (before any bean exists, so the data source and Flyway see them as ordinary settings)
 * from Vault's KV store:
 *
 * <ul>
 *   <li>{@code secret/payrail/database}, required: {@code app-username}, {@code app-password} (the
 *       application's role, {@code spring.datasource.*}), {@code owner-username}, {@code
 *       owner-password} (the schema owner that runs migrations, {@code spring.flyway.*});
 *   <li>{@code secret/payrail/kafka}, optional: {@code username}, {@code password}, for SASL
 *       SCRAM-SHA-512 over TLS; without it the brokers are reached as configured (plaintext inside
 *       the compose network).
 * </ul>
 *
 * A missing database secret stops the start with a message naming the path; values never reach a
 * log. Vault's answer outranks every other setting: in production no file may hold them.
 */
public class VaultCredentials implements EnvironmentPostProcessor, Ordered {

  static final String PROFILE = "production";
  static final String DATABASE = "payrail/database";
  static final String KAFKA = "payrail/kafka";
  private static final String KV_MOUNT = "secret";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
      return;
    }
    VaultProperties properties =
        Binder.get(environment)
            .bind("payrail.vault", VaultProperties.class)
            .orElseThrow(() -> new IllegalStateException("payrail.vault.uri is required"));
    VaultOperations vault = new VaultConfiguration().vaultTemplate(properties);
    try {
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("vault-credentials", credentials(vault)));
    } finally {
      close(vault);
    }
  }

  /** Revokes the start-up login; the application signs in again for its own template. */
  private static void close(VaultOperations vault) {
    if (vault instanceof VaultTemplate template) {
      try {
        template.destroy();
      } catch (Exception e) {
        // The login expires on its own (its TTL): nothing to do about a failed revocation.
      }
    }
  }

  static Map<String, Object> credentials(VaultOperations vault) {
    Map<String, Object> settings = new LinkedHashMap<>();
    Map<String, Object> database = read(vault, DATABASE);
    if (database == null) {
      throw new IllegalStateException(
          "Vault holds no " + KV_MOUNT + "/" + DATABASE + "; see docs/secrets.md");
    }
    settings.put("spring.datasource.username", required(database, "app-username", DATABASE));
    settings.put("spring.datasource.password", required(database, "app-password", DATABASE));
    settings.put("spring.flyway.user", required(database, "owner-username", DATABASE));
    settings.put("spring.flyway.password", required(database, "owner-password", DATABASE));
    Map<String, Object> kafka = read(vault, KAFKA);
    if (kafka != null) {
      settings.put("spring.kafka.security.protocol", "SASL_SSL");
      settings.put("spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
      settings.put(
          "spring.kafka.properties.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + required(kafka, "username", KAFKA)
              + "\" password=\""
              + required(kafka, "password", KAFKA)
              + "\";");
    }
    return settings;
  }

  private static Map<String, Object> read(VaultOperations vault, String path) {
    VaultResponse secret =
        VaultCalls.call(
            "read " + path, () -> vault.opsForKeyValue(KV_MOUNT, KeyValueBackend.KV_2).get(path));
    return secret == null ? null : secret.getData();
  }

  private static String required(Map<String, Object> secret, String field, String path) {
    if (!(secret.get(field) instanceof String value) || value.isBlank()) {
      throw new IllegalStateException(
          "Vault's " + KV_MOUNT + "/" + path + " has no " + field + "; see docs/secrets.md");
    }
    return value;
  }

  /** After the configuration files are read: {@code payrail.vault.*} may come from any of them. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
