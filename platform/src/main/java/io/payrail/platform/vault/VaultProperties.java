package io.payrail.platform.vault;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Vault is and how Payrail signs in to it ({@code payrail.vault}). Vault holds the keys of
 * the card data and webhook secrets (transit), the card-fingerprint key and, in the production
 * profile, the database and Kafka credentials; without it neither application starts.
 *
 * <p>Locally and in the tests a token ({@code PAYRAIL_VAULT_TOKEN}) of the {@code payrail-app}
 * policy, which the dev server makes on each start. In production AppRole: a role id and a secret
 * id ({@code PAYRAIL_VAULT_ROLE_ID}, {@code PAYRAIL_VAULT_SECRET_ID}) that the deployment hands
 * over, exchanged for a token that is renewed while the application runs.
 *
 * @param uri {@code https://vault:8200}; plain http on loopback only
 * @param authentication {@code token} or {@code approle}
 * @param connectTimeout how long to wait for a connection: an outage must fail fast, as a 503
 * @param readTimeout how long to wait for an answer
 */
@Validated
@ConfigurationProperties("payrail.vault")
public record VaultProperties(
    @NotNull(message = "is required (env PAYRAIL_VAULT_URI)") URI uri,
    @DefaultValue("token") Authentication authentication,
    String token,
    String roleId,
    String secretId,
    @DefaultValue("1s") Duration connectTimeout,
    @DefaultValue("3s") Duration readTimeout) {

  /** How Payrail signs in to Vault. */
  public enum Authentication {
    TOKEN,
    APPROLE
  }

  @Override
  public String toString() {
    return "VaultProperties[uri=" + uri + ", authentication=" + authentication + "]";
  }
}
