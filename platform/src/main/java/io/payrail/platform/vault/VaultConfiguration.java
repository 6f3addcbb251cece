package io.payrail.platform.vault;

import io.payrail.platform.vault.VaultProperties.Authentication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions.RoleId;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions.SecretId;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.authentication.SessionManager;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.RestTemplate;

/**
 * spring-vault's {@link VaultTemplate}, shared by the api and the workers: every call has the
 * connect and read timeouts of {@link VaultProperties}, and signs in with a token (locally) or
 * AppRole (production, renewed while the application runs).
 */
@AutoConfiguration
@EnableConfigurationProperties(VaultProperties.class)
public class VaultConfiguration {

  /** Public for code that needs a client before the context exists (start-up, tests). */
  @Bean
  @ConditionalOnMissingBean
  public VaultOperations vaultTemplate(VaultProperties properties) {
    VaultEndpoint endpoint = VaultEndpoint.from(properties.uri());
    ClientHttpRequestFactory requests = requestFactory(properties);
    return new VaultTemplate(endpoint, requests, sessionManager(properties, endpoint, requests));
  }

  private static SessionManager sessionManager(
      VaultProperties properties, VaultEndpoint endpoint, ClientHttpRequestFactory requests) {
    if (properties.authentication() == Authentication.TOKEN) {
      return new SimpleSessionManager(
          new TokenAuthentication(
              required(properties.token(), "payrail.vault.token (env PAYRAIL_VAULT_TOKEN)")));
    }
    RestTemplate vault = VaultClients.createRestTemplate(endpoint, requests);
    AppRoleAuthenticationOptions options =
        AppRoleAuthenticationOptions.builder()
            .roleId(
                RoleId.provided(
                    required(
                        properties.roleId(), "payrail.vault.role-id (env PAYRAIL_VAULT_ROLE_ID)")))
            .secretId(
                SecretId.provided(
                    required(
                        properties.secretId(),
                        "payrail.vault.secret-id (env PAYRAIL_VAULT_SECRET_ID)")))
            .build();
    ThreadPoolTaskScheduler renewals = new ThreadPoolTaskScheduler();
    renewals.setThreadNamePrefix("vault-session-");
    renewals.setDaemon(true);
    renewals.initialize();
    return new LifecycleAwareSessionManager(
        new AppRoleAuthentication(options, vault), renewals, vault);
  }

  /**
   * {@code HttpURLConnection} with both timeouts set on the socket. Not spring-vault's {@code
   * ClientHttpRequestFactoryFactory}, whose JDK factory drops the read timeout (a frozen Vault held
   * a payment request for ever: VaultOutageIT). Not Spring's {@code JdkClientHttpRequestFactory}
   * either: its read timeout is a task of the common fork-join pool, which on a 2-core machine has
   * one worker; with that worker busy the timeout never fired (VaultOutageRetryIT).
   */
  private static ClientHttpRequestFactory requestFactory(VaultProperties properties) {
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(properties.connectTimeout());
    requests.setReadTimeout(properties.readTimeout());
    return requests;
  }

  private static String required(String value, String setting) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(setting + " is required to sign in to Vault");
    }
    return value;
  }
}
