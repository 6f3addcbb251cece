package io.payrail.api.ratelimit;

import io.payrail.api.error.ApiError;
import io.payrail.api.error.ErrorTypes;
import io.payrail.api.security.Caller;
import io.payrail.workflows.common.CorrelationId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts each authenticated call against its caller's bucket: the API key for a merchant (each key
 * its own bucket, held to the merchant's limits), the subject for staff. Every counted response
 * carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (IETF
 * httpapi draft); a refused one is a 429 error object with {@code Retry-After}.
 *
 * <p>Anonymous requests are not counted: the security chain has answered them 401 before this
 * filter, and a per-address limit here would see the load balancer's address, not the client's.
 * Floods of unauthenticated requests belong to the edge (proxy, load balancer, WAF), which knows
 * the real address. Health, metrics and the API description are not counted either: probes and
 * scrapers must not spend a merchant's or an operator's tokens.
 */
class RateLimitFilter extends OncePerRequestFilter {

  static final String LIMIT = "RateLimit-Limit";
  static final String REMAINING = "RateLimit-Remaining";
  static final String RESET = "RateLimit-Reset";

  private static final String BUCKET_PREFIX = "payrail:rate-limit:";

  private final RateLimitProperties settings;
  private final MerchantLimits limits;
  private final RateLimiter limiter;
  private final JsonMapper json;

  RateLimitFilter(
      RateLimitProperties settings, MerchantLimits limits, RateLimiter limiter, JsonMapper json) {
    this.settings = settings;
    this.limits = limits;
    this.limiter = limiter;
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = path(request);
    return !settings.enabled()
        || path.startsWith("/actuator/")
        || path.startsWith("/v3/api-docs")
        || path.startsWith("/swagger-ui")
        || path.equals("/error");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Caller> caller = Caller.current();
    if (caller.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    EndpointClass endpointClass =
        EndpointClass.of(caller.get(), request.getMethod(), path(request));
    Decision decision =
        limiter.consume(
            bucketKey(endpointClass, caller.get()), limits.policy(endpointClass, caller.get()));
    switch (decision.verdict()) {
      case ALLOWED -> {
        addRateLimitHeaders(response, decision);
        chain.doFilter(request, response);
      }
      case LIMITED -> {
        addRateLimitHeaders(response, decision);
        refuse(
            response,
            429,
            decision.retryAfterSeconds(),
            ErrorTypes.RATE_LIMIT,
            "rate_limited",
            "Too many requests with this "
                + (caller.get().kind() == Caller.Kind.MERCHANT ? "API key" : "account")
                + " ("
                + endpointClass.jsonName()
                + "); retry after "
                + decision.retryAfterSeconds()
                + " s");
      }
      case UNAVAILABLE ->
          refuse(
              response,
              HttpServletResponse.SC_SERVICE_UNAVAILABLE,
              decision.retryAfterSeconds(),
              ErrorTypes.API,
              "rate_limiter_unavailable",
              "Administrative changes are paused while their rate limits cannot be counted;"
                  + " retry shortly");
    }
  }

  /** {@code payrail:rate-limit:merchant-writes:key:key_...}, or {@code ...:staff:<subject>}. */
  static String bucketKey(EndpointClass endpointClass, Caller caller) {
    String who =
        caller.kind() == Caller.Kind.MERCHANT
            ? "key:" + caller.credentialId()
            : caller.kind().name().toLowerCase(Locale.ROOT) + ":" + caller.id();
    return BUCKET_PREFIX + endpointClass.configName() + ":" + who;
  }

  private static void addRateLimitHeaders(HttpServletResponse response, Decision decision) {
    response.setHeader(LIMIT, Long.toString(decision.limit()));
    response.setHeader(REMAINING, Long.toString(decision.remaining()));
    response.setHeader(RESET, Long.toString(decision.resetSeconds()));
  }

  private void refuse(
      HttpServletResponse response,
      int status,
      long retryAfterSeconds,
      String type,
      String code,
      String message)
      throws IOException {
    response.setStatus(status);
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(),
        ApiError.of(type, code, message, null, MDC.get(CorrelationId.MDC_KEY)));
  }

  /** The decoded path within the application, as the handler mappings see it. */
  private static String path(HttpServletRequest request) {
    return org.springframework.web.util.UrlPathHelper.defaultInstance.getPathWithinApplication(
        request);
  }
}
