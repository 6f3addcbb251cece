package io.payrail.notifysim;

/**
 * Trouble the SMS and push provider adds to every request.
 *
 * @param errorRate share of requests answered HTTP 503 before anything is sent (safe to retry)
 * @param latencyMillis added to every answer
 */
public record ProviderFaults(double errorRate, long latencyMillis) {

  public static final ProviderFaults NONE = new ProviderFaults(0, 0);

  public ProviderFaults {
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("error_rate must be between 0 and 1");
    }
    if (latencyMillis < 0 || latencyMillis > 600_000) {
      throw new IllegalArgumentException("latency_ms must be between 0 and 600000");
    }
  }
}
