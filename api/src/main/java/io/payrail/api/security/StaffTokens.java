package io.payrail.api.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.web.client.RestTemplate;

/**
 * How a staff token becomes a caller: Keycloak's signature checked against the realm's published
 * keys (RS256 only, so {@code alg: none} and HMAC tricks fail), then its issuer, its audience (the
 * api's client) and its lifetime; its realm roles {@code operator}, {@code finance} and {@code
 * admin} become {@code ROLE_OPERATOR}, {@code ROLE_FINANCE} and {@code ROLE_ADMIN}. Every other
 * realm role (Keycloak's defaults such as {@code offline_access}) grants nothing here.
 */
final class StaffTokens {

  static final Set<String> ROLES = Set.of("operator", "finance", "admin");

  private StaffTokens() {}

  static JwtDecoder decoder(StaffProperties staff) {
    if (!staff.enabled()) {
      return token -> {
        throw new BadJwtException("staff sign-in is not configured (payrail.staff.issuer-uri)");
      };
    }
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(staff.keysTimeout());
    requests.setReadTimeout(staff.keysTimeout());
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(staff.jwkSetUri())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .restOperations(new RestTemplate(requests))
            .build();
    decoder.setJwtValidator(validator(staff));
    return decoder;
  }

  static OAuth2TokenValidator<Jwt> validator(StaffProperties staff) {
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(new JwtTimestampValidator(staff.clockSkew()));
    validators.add(new JwtIssuerValidator(staff.issuerUri()));
    validators.add(
        new JwtClaimValidator<Collection<String>>(
            JwtClaimNames.AUD,
            audience -> audience != null && audience.contains(staff.audience())));
    // A token without an expiry would be valid for ever.
    validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, exp -> exp != null));
    return new DelegatingOAuth2TokenValidator<>(validators);
  }

  static JwtAuthenticationConverter converter() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(StaffTokens::authorities);
    return converter;
  }

  static Collection<GrantedAuthority> authorities(Jwt jwt) {
    Object realmAccess = jwt.getClaims().get("realm_access");
    if (!(realmAccess instanceof Map<?, ?> access)
        || !(access.get("roles") instanceof Collection<?> roles)) {
      return List.of();
    }
    List<GrantedAuthority> authorities = new ArrayList<>();
    for (Object role : roles) {
      if (role instanceof String name && ROLES.contains(name)) {
        authorities.add(
            new SimpleGrantedAuthority("ROLE_" + name.toUpperCase(java.util.Locale.ROOT)));
      }
    }
    return authorities;
  }
}
