package io.payrail.api.web;

import io.payrail.api.error.ApiError;
import io.payrail.api.error.BodyTooLargeException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.common.CorrelationId;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies over {@link #MAX_BODY_BYTES} with a 413 error object: by their declared
 * length before anything reads them, or, for chunked bodies, once reading passes the limit (the
 * {@link BodyTooLargeException} thrown then is answered by the exception handler).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeLimitFilter extends OncePerRequestFilter {

  /** Far above any real payment (metadata included), far below what would cost memory. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final JsonMapper json;

  RequestSizeLimitFilter(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      refuse(response);
      return;
    }
    chain.doFilter(new LimitedRequest(request), response);
  }

  private void refuse(HttpServletResponse response) throws IOException {
    response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    // The unread rest of the body is not worth reading: close the connection after this answer.
    response.setHeader("Connection", "close");
    json.writeValue(
        response.getOutputStream(),
        ApiError.of(
            ErrorTypes.INVALID_REQUEST,
            "body_too_large",
            "The request body is larger than " + MAX_BODY_BYTES + " bytes",
            null,
            MDC.get(CorrelationId.MDC_KEY)));
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream original = super.getInputStream();
        stream =
            new ServletInputStream() {
              private long read;

              @Override
              public int read() throws IOException {
                int b = original.read();
                if (b >= 0) {
                  count(1);
                }
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = original.read(buffer, offset, length);
                if (n > 0) {
                  count(n);
                }
                return n;
              }

              private void count(int n) throws IOException {
                read += n;
                if (read > MAX_BODY_BYTES) {
                  throw new BodyTooLargeException(MAX_BODY_BYTES);
                }
              }

              @Override
              public boolean isFinished() {
                return original.isFinished();
              }

              @Override
              public boolean isReady() {
                return original.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                original.setReadListener(listener);
              }
            };
      }
      return stream;
    }
  }
}
