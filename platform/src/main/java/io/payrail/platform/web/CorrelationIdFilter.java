package io.payrail.platform.web;

import io.payrail.workflows.common.CorrelationId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every HTTP request a correlation id: the caller's {@code X-Request-Id} when it is safe to
 * log, a fresh {@code req_...} otherwise. The id is in the MDC while the request runs (so in every
 * log line and, through {@code CorrelationIdPropagator}, in the workflows it starts) and is echoed
 * in the response header, so a merchant can quote it to support. The query string is never logged:
 * it is the caller's, and may hold what does not belong in logs.
 */
class CorrelationIdFilter extends OncePerRequestFilter {

  /** One line per request (method, path, status, time): what on-call searches by request id. */
  private static final Logger log = LoggerFactory.getLogger("io.payrail.http");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String supplied = request.getHeader(CorrelationId.HTTP_HEADER);
    String id = CorrelationId.isAcceptable(supplied) ? supplied : newId();
    MDC.put(CorrelationId.MDC_KEY, id);
    response.setHeader(CorrelationId.HTTP_HEADER, id);
    long started = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      log.info(
          "{} {} -> {} in {} ms",
          request.getMethod(),
          request.getRequestURI(),
          response.getStatus(),
          (System.nanoTime() - started) / 1_000_000);
      MDC.remove(CorrelationId.MDC_KEY);
    }
  }

  private static String newId() {
    return "req_" + UUID.randomUUID().toString().replace("-", "");
  }
}
