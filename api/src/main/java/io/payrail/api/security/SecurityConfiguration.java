package io.payrail.api.security;

import io.payrail.api.error.ApiError;
import io.payrail.api.error.ErrorTypes;
import io.payrail.api.merchant.ApiKeyAuthenticator;
import io.payrail.workflows.common.CorrelationId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. Merchants with an API key call {@code /v1}; staff signed in with Keycloak call
 * {@code /staff} (operators) and {@code /admin} (admins, or the bootstrap admin token, kept as the
 * break-glass credential); finance calls {@code /staff/v1/settlement} and {@code
 * /staff/v1/reconciliation} (and operators do not). Anyone may read health, metrics and the API
 * description. Roles do not include one another: a person who needs two gets both in Keycloak.
 * Stateless: no session, no cookie, so no CSRF to defend.
 *
 * <p>A bearer credential goes to exactly one authenticator, by its shape ({@link Credentials}): a
 * JWT to the resource server, anything else to the key and admin-token filter.
 */
@Configuration
class SecurityConfiguration {

  static final String ROLE_OPERATOR = "OPERATOR";
  static final String ROLE_FINANCE = "FINANCE";

  @Bean
  JwtDecoder staffJwtDecoder(StaffProperties staff) {
    return StaffTokens.decoder(staff);
  }

  /**
   * A URL Spring Security's firewall refuses before any filter runs (an empty path segment such as
   * {@code /runs//diff}, an encoded dot segment or a semicolon): a 400 with Payrail's error object,
   * not Spring Boot's default body.
   */
  @Bean
  RequestRejectedHandler requestRejected(JsonMapper json) {
    return (request, response, e) ->
        write(
            json,
            response,
            HttpServletResponse.SC_BAD_REQUEST,
            ErrorTypes.INVALID_REQUEST,
            "request_rejected",
            "The request URL is malformed: an empty path segment (//), an encoded slash, dot"
                + " segment or semicolon was refused");
  }

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      ApiKeyAuthenticator apiKeys,
      AdminProperties admin,
      JwtDecoder staffJwtDecoder,
      JsonMapper json)
      throws Exception {
    return http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .addFilterBefore(
            new BearerAuthenticationFilter(apiKeys, admin, json),
            AnonymousAuthenticationFilter.class)
        .oauth2ResourceServer(
            oauth2 ->
                oauth2
                    .bearerTokenResolver(staffTokens())
                    .authenticationEntryPoint(
                        (request, response, e) -> invalidToken(json, response, e))
                    .withObjectPostProcessor(
                        new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                          @Override
                          public <O extends BearerTokenAuthenticationFilter> O postProcess(
                              O filter) {
                            // The default handler rethrows a key-fetch failure as a 500.
                            filter.setAuthenticationFailureHandler(
                                (request, response, e) -> invalidToken(json, response, e));
                            return filter;
                          }
                        })
                    .jwt(
                        jwt ->
                            jwt.decoder(staffJwtDecoder)
                                .jwtAuthenticationConverter(StaffTokens.converter())))
        .authorizeHttpRequests(
            rules ->
                rules
                    .requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/actuator/prometheus",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/error")
                    .permitAll()
                    .requestMatchers("/admin/**")
                    .hasRole("ADMIN")
                    .requestMatchers("/staff/v1/settlement/**", "/staff/v1/reconciliation/**")
                    .hasRole(ROLE_FINANCE)
                    .requestMatchers("/staff/**")
                    .hasRole(ROLE_OPERATOR)
                    .requestMatchers("/v1/**")
                    .hasRole("MERCHANT")
                    .anyRequest()
                    .denyAll())
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(
                        (request, response, e) -> noCredential(json, request, response))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            write(
                                json,
                                response,
                                HttpServletResponse.SC_FORBIDDEN,
                                ErrorTypes.PERMISSION,
                                "forbidden",
                                "This credential may not call this endpoint.")))
        .build();
  }

  /** Only JWT-shaped credentials from the Authorization header; never from the URL or the body. */
  private static BearerTokenResolver staffTokens() {
    return request -> {
      String header = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return null;
      }
      String credential = header.substring(7).strip();
      return Credentials.isJwt(credential) ? credential : null;
    };
  }

  private static void noCredential(
      JsonMapper json, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    boolean staff = path.startsWith("/staff/") || path.startsWith("/admin/");
    write(
        json,
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        ErrorTypes.AUTHENTICATION,
        staff ? "authentication_required" : "api_key_invalid",
        staff
            ? "Sign in: send 'Authorization: Bearer <staff access token from Keycloak>'."
            : "No valid API key provided. Send 'Authorization: Bearer sk_test_...'.");
  }

  /**
   * A JWT that failed: expired, from another issuer, for another audience, badly signed, unsigned;
   * which of these is not said. When the realm's keys cannot be fetched, the caller is told to
   * retry (503), as for any other outage.
   */
  private static void invalidToken(
      JsonMapper json, HttpServletResponse response, AuthenticationException e) throws IOException {
    if (e instanceof AuthenticationServiceException) {
      response.setHeader(HttpHeaders.RETRY_AFTER, "5");
      write(
          json,
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          ErrorTypes.API,
          "service_unavailable",
          "Staff sign-in is briefly unavailable; retry the request");
      return;
    }
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        "Bearer realm=\"payrail\", error=\"invalid_token\", error_description=\"The token is"
            + " invalid or expired\"");
    write(
        json,
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        ErrorTypes.AUTHENTICATION,
        "token_invalid",
        "The bearer token is not a valid Payrail staff token (expired, from another issuer or"
            + " audience, or not signed by the realm's key). Sign in again.");
  }

  static void write(
      JsonMapper json,
      HttpServletResponse response,
      int status,
      String type,
      String code,
      String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    if (status == HttpServletResponse.SC_UNAUTHORIZED
        && !response.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"payrail\"");
    }
    json.writeValue(
        response.getOutputStream(),
        ApiError.of(type, code, message, null, MDC.get(CorrelationId.MDC_KEY)));
  }
}
