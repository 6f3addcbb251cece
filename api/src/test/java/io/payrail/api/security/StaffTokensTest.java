package io.payrail.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class StaffTokensTest {

  private static final String ISSUER = "https://sso.example.org/realms/payrail";
  private static final StaffProperties STAFF =
      new StaffProperties(ISSUER, null, null, Duration.ofSeconds(1), null);

  private static Jwt.Builder token() {
    Instant now = Instant.now();
    return Jwt.withTokenValue("t")
        .header("alg", "RS256")
        .issuer(ISSUER)
        .audience(List.of("payrail-api", "account"))
        .subject("f1ac76be")
        .issuedAt(now)
        .expiresAt(now.plusSeconds(300))
        .claim(
            "realm_access",
            Map.of("roles", List.of("operator", "offline_access", "default-roles-payrail")));
  }

  @Test
  void authorities_onlyPayrailsRealmRoles() {
    assertThat(StaffTokens.authorities(token().build()))
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_OPERATOR");
    assertThat(
            StaffTokens.authorities(
                token()
                    .claim("realm_access", Map.of("roles", List.of("finance", "admin", "merchant")))
                    .build()))
        .extracting(GrantedAuthority::getAuthority)
        .containsExactlyInAnyOrder("ROLE_FINANCE", "ROLE_ADMIN");
    assertThat(StaffTokens.authorities(token().claim("realm_access", "admin").build())).isEmpty();
  }

  @Test
  void validator_acceptsTheRealmsTokenForTheApi() {
    assertThat(StaffTokens.validator(STAFF).validate(token().build()).hasErrors()).isFalse();
  }

  @Test
  void validator_refusesOtherIssuerAudienceExpiredOrEndless() {
    Instant past = Instant.now().minusSeconds(60);

    assertThat(
            StaffTokens.validator(STAFF)
                .validate(token().issuer("https://evil.example.org/realms/payrail").build())
                .hasErrors())
        .isTrue();
    assertThat(
            StaffTokens.validator(STAFF)
                .validate(token().audience(List.of("account")).build())
                .hasErrors())
        .isTrue();
    assertThat(
            StaffTokens.validator(STAFF)
                .validate(token().issuedAt(past.minusSeconds(60)).expiresAt(past).build())
                .hasErrors())
        .isTrue();
    assertThat(
            StaffTokens.validator(STAFF)
                .validate(token().claims(claims -> claims.remove("exp")).build())
                .hasErrors())
        .isTrue();
  }

  /**
   * Keycloak unreachable: not a bad token (401) but an outage, which the security configuration
   * answers 503; the fetch gives up within its timeout.
   */
  @Test
  void keysUnreachable_isAnAuthenticationServiceFailure_notABadToken() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StaffProperties unreachable =
        new StaffProperties(
            ISSUER, "http://127.0.0.1:" + closedPort + "/certs", null, null, Duration.ofSeconds(2));
    var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k").generate();
    var jwt =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID("k")
                .build(),
            new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(ISSUER).subject("s").build());
    jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
    var provider =
        new org.springframework.security.oauth2.server.resource.authentication
            .JwtAuthenticationProvider(StaffTokens.decoder(unreachable));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                provider.authenticate(
                    new org.springframework.security.oauth2.server.resource.authentication
                        .BearerTokenAuthenticationToken(jwt.serialize())))
        .isInstanceOf(
            org.springframework.security.authentication.AuthenticationServiceException.class);
  }

  @Test
  void properties_keySetDefaultsToTheIssuersCerts() {
    assertThat(STAFF.jwkSetUri()).isEqualTo(ISSUER + "/protocol/openid-connect/certs");
    assertThat(STAFF.audience()).isEqualTo("payrail-api");
    assertThat(new StaffProperties(null, null, null, null, null).enabled()).isFalse();
  }
}
