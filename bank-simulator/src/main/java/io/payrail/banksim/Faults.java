package io.payrail.banksim;

/**
 * Trouble the simulator adds to every request, for reliability tests and benchmarks.
 *
 * @param errorRate share of requests answered HTTP 503 <em>before</em> processing (safe to retry)
 * @param silentRate share of requests processed but never answered: the caller times out without
 *     knowing the outcome, as when a response is lost on the network
 * @param latencyMillis added to every answer
 * @param jitterMillis up to this much more, uniformly
 * @param hangMillis how long a silent answer holds the connection before dropping it
 * @param slowMillis how long the slow test card takes
 */
public record Faults(
    double errorRate,
    double silentRate,
    long latencyMillis,
    long jitterMillis,
    long hangMillis,
    long slowMillis) {

  public static final Faults NONE = new Faults(0, 0, 0, 0, 30_000, 3_000);

  public Faults {
    requireRate("error_rate", errorRate);
    requireRate("silent_rate", silentRate);
    if (errorRate + silentRate > 1) {
      throw new IllegalArgumentException("error_rate + silent_rate must not exceed 1");
    }
    requireNonNegative("latency_ms", latencyMillis);
    requireNonNegative("jitter_ms", jitterMillis);
    requireNonNegative("hang_ms", hangMillis);
    requireNonNegative("slow_ms", slowMillis);
  }

  private static void requireRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1");
    }
  }

  private static void requireNonNegative(String name, long millis) {
    if (millis < 0 || millis > 600_000) {
      throw new IllegalArgumentException(name + " must be between 0 and 600000");
    }
  }
}
