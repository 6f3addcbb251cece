package io.payrail.platform.card;

import io.payrail.platform.vault.VaultConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.vault.core.VaultOperations;

/**
 * The card vault and its key rotation, in every application with a database. Their keys live in
 * Vault ({@link VaultConfiguration}), which every such application must reach.
 */
@AutoConfiguration(
    after = VaultConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration")
@ConditionalOnBean(JdbcClient.class)
public class CardVaultConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CardVault cardVault(JdbcClient jdbc, VaultOperations vault) {
    return new CardVault(jdbc, vault);
  }

  @Bean
  @ConditionalOnMissingBean
  KeyRotation keyRotation(JdbcClient jdbc, VaultOperations vault) {
    return new KeyRotation(jdbc, vault);
  }
}
