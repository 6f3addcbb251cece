package io.payrail.api.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.util.concurrent.TimeUnit;

/**
 * What the limiter decided for one request, with the figures of the {@code RateLimit-*} headers.
 *
 * @param limit the bucket's capacity ({@code RateLimit-Limit})
 * @param remaining tokens left after this request ({@code RateLimit-Remaining})
 * @param resetSeconds seconds until the bucket is full again ({@code RateLimit-Reset})
 * @param retryAfterSeconds for a refused request, seconds until it may succeed ({@code
 *     Retry-After}); 0 when allowed
 */
record Decision(
    Verdict verdict, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  enum Verdict {
    ALLOWED,
    LIMITED,
    /** Redis is down and this class of endpoint is not served without it. */
    UNAVAILABLE
  }

  static Decision of(ConsumptionProbe probe, Policy policy) {
    long limit = policy.limit().capacity();
    long reset = seconds(probe.getNanosToWaitForReset());
    if (probe.isConsumed()) {
      return new Decision(Verdict.ALLOWED, limit, probe.getRemainingTokens(), reset, 0);
    }
    long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
    return new Decision(Verdict.LIMITED, limit, 0, Math.max(reset, retryAfter), retryAfter);
  }

  static Decision unavailable(long retryAfterSeconds) {
    return new Decision(Verdict.UNAVAILABLE, 0, 0, 0, Math.max(1, retryAfterSeconds));
  }

  /** Whole seconds, rounded up: a client that waits this long is not refused again for waiting. */
  static long seconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }
}
