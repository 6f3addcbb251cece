package io.payrail.workflows.common;

/**
 * The id that ties together every log line caused by one merchant request: the HTTP request, the
 * workflow it starts and each activity that workflow runs. It lives in the SLF4J MDC under {@link
 * #MDC_KEY} and travels between processes in the Temporal header {@link #HEADER}.
 */
public final class CorrelationId {

  /** MDC key, and the field name in the JSON logs. */
  public static final String MDC_KEY = "correlationId";

  /** Temporal header that carries the id into workflows and activities. */
  public static final String HEADER = "payrail-correlation-id";

  /** HTTP header a caller may send (and always gets back). */
  public static final String HTTP_HEADER = "X-Request-Id";

  /** Longest id accepted from a caller; longer or odd-looking ones are replaced. */
  public static final int MAX_LENGTH = 64;

  private CorrelationId() {}

  /**
   * Whether a caller-supplied id is safe to put into logs: 1 to {@link #MAX_LENGTH} characters of
   * letters, digits, '-', '_' or '.', so it can neither forge a log line nor flood one.
   */
  public static boolean isAcceptable(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
