package io.payrail.api.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where staff tokens come from ({@code payrail.staff.*}): the Keycloak realm whose access tokens
 * the api accepts. Unset, staff sign-in is off and every staff token answers 401; merchants' keys
 * and the bootstrap admin token work either way.
 *
 * <p>The issuer and the key set are separate settings, and the api fetches the key set only when
 * the first token arrives, so the api starts while Keycloak is still starting, and a token may name
 * the public issuer URL while the keys come from an internal address (docker-compose does so).
 *
 * @param issuerUri the realm's {@code iss}, e.g. {@code https://sso.example.com/realms/payrail}
 * @param jwkSetUri the realm's signing keys; default: the issuer's {@code
 *     /protocol/openid-connect/certs}
 * @param audience what a token's {@code aud} must name: the api's client in the realm
 * @param clockSkew how far past its {@code exp} (or before its {@code nbf}) a token is still taken
 * @param keysTimeout connect and read timeout of the key-set fetch
 */
@ConfigurationProperties("payrail.staff")
public record StaffProperties(
    String issuerUri, String jwkSetUri, String audience, Duration clockSkew, Duration keysTimeout) {

  public StaffProperties {
    audience = audience == null || audience.isBlank() ? "payrail-api" : audience;
    clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
    keysTimeout = keysTimeout == null ? Duration.ofSeconds(5) : keysTimeout;
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("payrail.staff.clock-skew must not be negative");
    }
    if (enabled(issuerUri) && (jwkSetUri == null || jwkSetUri.isBlank())) {
      jwkSetUri = issuerUri.replaceAll("/+$", "") + "/protocol/openid-connect/certs";
    }
  }

  boolean enabled() {
    return enabled(issuerUri);
  }

  private static boolean enabled(String issuerUri) {
    return issuerUri != null && !issuerUri.isBlank();
  }
}
