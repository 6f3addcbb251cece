package io.payrail.api.security;

import io.payrail.api.merchant.MerchantPrincipal;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, in the terms the audit log and the rate limiter need, whatever the credential: a
 * merchant's API key, a staff member's token, or the bootstrap admin token.
 *
 * @param kind what kind of credential authenticated the call
 * @param id a stable identity: the merchant id, the staff member's subject, or {@code bootstrap}
 * @param credentialId what exactly was presented: the API key id, or the same as {@code id}
 * @param name a readable name for listings (the staff member's user name); never a secret
 * @param roles the caller's roles without the {@code ROLE_} prefix, lower case ({@code merchant},
 *     {@code operator}, {@code finance}, {@code admin})
 */
public record Caller(Kind kind, String id, String credentialId, String name, Set<String> roles) {

  /** The kinds of credential. */
  public enum Kind {
    MERCHANT,
    STAFF,
    BOOTSTRAP
  }

  static final String BOOTSTRAP_ID = "bootstrap";

  public Caller {
    roles = Set.copyOf(roles);
  }

  /** The caller of the request being served, if it authenticated. */
  public static Optional<Caller> current() {
    return from(SecurityContextHolder.getContext().getAuthentication());
  }

  static Optional<Caller> from(Authentication authentication) {
    if (authentication == null || !authentication.isAuthenticated()) {
      return Optional.empty();
    }
    Set<String> roles = new TreeSet<>();
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      String name = authority.getAuthority();
      if (name != null && name.startsWith("ROLE_")) {
        roles.add(name.substring(5).toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (roles.isEmpty()) {
      // Anonymous callers carry ROLE_ANONYMOUS only after the filter chain's anonymous step.
      return Optional.empty();
    }
    Object principal = authentication.getPrincipal();
    if (principal instanceof MerchantPrincipal merchant) {
      return Optional.of(
          new Caller(
              Kind.MERCHANT,
              merchant.merchantId(),
              merchant.apiKeyId(),
              merchant.merchantId(),
              roles));
    }
    if (BOOTSTRAP_ID.equals(principal)) {
      return Optional.of(
          new Caller(Kind.BOOTSTRAP, BOOTSTRAP_ID, BOOTSTRAP_ID, BOOTSTRAP_ID, roles));
    }
    if (roles.contains("anonymous")) {
      return Optional.empty();
    }
    if (principal instanceof Jwt jwt) {
      String username = jwt.getClaimAsString("preferred_username");
      return Optional.of(
          new Caller(
              Kind.STAFF,
              jwt.getSubject(),
              jwt.getSubject(),
              username == null || username.isBlank() ? jwt.getSubject() : username,
              roles));
    }
    String id = authentication.getName();
    return Optional.of(new Caller(Kind.STAFF, id, id, id, roles));
  }

  /** The role this call acts in: the highest of the caller's roles, for the audit record. */
  public String primaryRole() {
    for (String role : new String[] {"admin", "finance", "operator", "merchant"}) {
      if (roles.contains(role)) {
        return role;
      }
    }
    return roles.isEmpty() ? "none" : roles.iterator().next();
  }
}
