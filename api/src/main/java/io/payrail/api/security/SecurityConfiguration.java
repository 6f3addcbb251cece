package io.payrail.api.security;

import io.payrail.api.error.ApiError;
import io.payrail.api.error.ErrorTypes;
import io.payrail.api.merchant.ApiKeyAuthenticator;
import io.payrail.workflows.common.CorrelationId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what: merchants with an API key call {@code /v1}, the admin token calls {@code
 * /admin}, anyone may read health, metrics and the API description. Stateless: no session, no
 * cookie, so no CSRF to defend.
 */
@Configuration
class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(
      HttpSecurity http, ApiKeyAuthenticator apiKeys, AdminProperties admin, JsonMapper json)
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
                    .requestMatchers("/v1/**")
                    .hasRole("MERCHANT")
                    .anyRequest()
                    .denyAll())
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            write(
                                json,
                                response,
                                HttpServletResponse.SC_UNAUTHORIZED,
                                ErrorTypes.AUTHENTICATION,
                                "api_key_invalid",
                                "No valid API key provided. Send 'Authorization: Bearer sk_test_...'."))
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
    if (status == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"payrail\"");
    }
    json.writeValue(
        response.getOutputStream(),
        ApiError.of(type, code, message, null, MDC.get(CorrelationId.MDC_KEY)));
  }
}
