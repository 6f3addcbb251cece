package io.payrail.platform.card;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The card vault, in every application with a database. Its keys are required: without them, or
 * with a malformed one, the application does not start.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration")
@ConditionalOnBean(JdbcClient.class)
@EnableConfigurationProperties(CardVaultProperties.class)
public class CardVaultConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CardVault cardVault(JdbcClient jdbc, CardVaultProperties properties) {
    return new CardVault(jdbc, properties);
  }
}
