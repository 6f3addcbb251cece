package io.payrail.platform.audit;

import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit log, in every application with a database. The actor is whoever the application's
 * {@link AuditActorSource} names (the api's: the request's caller), else the application itself.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration")
@ConditionalOnBean(JdbcClient.class)
public class AuditConfiguration {

  @Bean
  @ConditionalOnMissingBean
  AuditLog auditLog(
      JdbcClient jdbc,
      ObjectProvider<AuditActorSource> actors,
      @Value("${spring.application.name:payrail}") String application) {
    return new AuditLog(
        jdbc, actors.getIfAvailable(() -> Optional::empty), application, Clock.systemUTC());
  }
}
