package io.payrail.platform.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.OpenBaoDevServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultOperations;

/**
 * The production profile signs in with AppRole (as infra/vault/setup.sh makes the role) and takes
 * the database and Kafka credentials from Vault, against a real OpenBao.
 */
class VaultCredentialsIT {

  private static OpenBaoDevServer server;
  private static VaultOperations root;

  @BeforeAll
  static void start() {
    server = TestVault.start();
    root = TestVault.root(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void productionProfile_readsDatabaseAndKafkaCredentials_withAppRole() {
    String appPassword = random();
    String ownerPassword = random();
    String kafkaPassword = random();
    kv().put(
            VaultCredentials.DATABASE,
            Map.of(
                "app-username",
                "payrail_app",
                "app-password",
                appPassword,
                "owner-username",
                "payrail_owner",
                "owner-password",
                ownerPassword));
    kv().put(VaultCredentials.KAFKA, Map.of("username", "payrail", "password", kafkaPassword));
    StandardEnvironment environment = production(appRoleSettings());

    new VaultCredentials().postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("payrail_app");
    assertThat(environment.getProperty("spring.datasource.password")).isEqualTo(appPassword);
    assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("payrail_owner");
    assertThat(environment.getProperty("spring.flyway.password")).isEqualTo(ownerPassword);
    assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config"))
        .contains("username=\"payrail\"")
        .contains("password=\"" + kafkaPassword + "\"");
  }

  @Test
  void productionProfile_withoutTheDatabaseSecret_refusesToStartNamingThePath() {
    kv().delete(VaultCredentials.DATABASE);
    StandardEnvironment environment = production(appRoleSettings());

    assertThatThrownBy(
            () ->
                new VaultCredentials().postProcessEnvironment(environment, new SpringApplication()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secret/payrail/database");
  }

  @Test
  void otherProfiles_readNothingFromVault() {
    StandardEnvironment environment = new StandardEnvironment();

    new VaultCredentials().postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getPropertySources().contains("vault-credentials")).isFalse();
  }

  private static Map<String, Object> appRoleSettings() {
    String roleId =
        (String) root.read("auth/approle/role/payrail/role-id").getRequiredData().get("role_id");
    String secretId =
        (String)
            root.write("auth/approle/role/payrail/secret-id", Map.of())
                .getRequiredData()
                .get("secret_id");
    Map<String, Object> settings = new HashMap<>();
    settings.put("payrail.vault.uri", server.uri());
    settings.put("payrail.vault.authentication", "approle");
    settings.put("payrail.vault.role-id", roleId);
    settings.put("payrail.vault.secret-id", secretId);
    return settings;
  }

  private static StandardEnvironment production(Map<String, Object> settings) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.setActiveProfiles("production");
    environment.getPropertySources().addLast(new MapPropertySource("test", settings));
    return environment;
  }

  private static org.springframework.vault.core.VaultKeyValueOperations kv() {
    return root.opsForKeyValue("secret", KeyValueBackend.KV_2);
  }

  private static String random() {
    return java.util.UUID.randomUUID().toString();
  }
}
