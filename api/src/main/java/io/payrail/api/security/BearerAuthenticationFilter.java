package io.payrail.api.security;

import io.payrail.api.error.ErrorTypes;
import io.payrail.api.merchant.ApiKeyAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the caller's credential: {@code Authorization: Bearer sk_test_...}, or the key as the Basic
 * user name ({@code curl -u sk_test_...:}), or the bootstrap admin token. A missing or wrong
 * credential leaves the request anonymous; the authorization rules then answer 401. A staff JWT is
 * not this filter's: the resource server has authenticated it (or refused it) already.
 */
class BearerAuthenticationFilter extends OncePerRequestFilter {

  static final String ROLE_MERCHANT = "ROLE_MERCHANT";
  static final String ROLE_ADMIN = "ROLE_ADMIN";

  private final ApiKeyAuthenticator apiKeys;
  private final AdminProperties admin;
  private final JsonMapper json;

  BearerAuthenticationFilter(ApiKeyAuthenticator apiKeys, AdminProperties admin, JsonMapper json) {
    this.apiKeys = apiKeys;
    this.admin = admin;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String credential = credential(request.getHeader("Authorization"));
    if (credential != null
        && !Credentials.isJwt(credential)
        && SecurityContextHolder.getContext().getAuthentication() == null) {
      try {
        authenticate(credential);
      } catch (DataAccessResourceFailureException | TransientDataAccessException e) {
        // The keys cannot be read (the database restarting): the caller is told to retry, as
        // the API answers any other request that meets an outage; not a 500.
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        SecurityConfiguration.write(
            json,
            response,
            HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            ErrorTypes.API,
            "service_unavailable",
            "Payrail is briefly unavailable; retry the request with the same Idempotency-Key");
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private void authenticate(String credential) {
    if (admin.enabled() && constantTimeEquals(credential, admin.token())) {
      setAuthentication(Caller.BOOTSTRAP_ID, ROLE_ADMIN);
      return;
    }
    apiKeys
        .authenticate(credential)
        .ifPresent(
            merchant -> {
              var authentication =
                  new UsernamePasswordAuthenticationToken(
                      merchant, null, List.of(new SimpleGrantedAuthority(ROLE_MERCHANT)));
              SecurityContextHolder.getContext().setAuthentication(authentication);
            });
  }

  private static void setAuthentication(Object principal, String role) {
    SecurityContextHolder.getContext()
        .setAuthentication(
            new UsernamePasswordAuthenticationToken(
                principal, null, List.of(new SimpleGrantedAuthority(role))));
  }

  /** The secret from a Bearer header, or the user part of a Basic header; null otherwise. */
  static String credential(String header) {
    if (header == null) {
      return null;
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).strip();
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
    return null;
  }

  private static boolean constantTimeEquals(String presented, String expected) {
    return MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
