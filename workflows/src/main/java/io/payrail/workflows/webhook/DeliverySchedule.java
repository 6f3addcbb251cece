package io.payrail.workflows.webhook;

import java.time.Duration;

/**
 * When a failing webhook is tried again: after {@code firstRetry}, then after twice as long each
 * time up to {@code maxInterval}, each pause shortened or lengthened by up to {@code jitter} (a
 * fraction, 0.2 = 20 %) so that many deliveries failing together do not retry together, and never
 * later than {@code giveUpAfter} from the first attempt.
 */
public record DeliverySchedule(
    Duration firstRetry, Duration maxInterval, Duration giveUpAfter, double jitter) {

  /** Stripe's promise: retries with exponential backoff for up to three days. */
  public static DeliverySchedule standard() {
    return new DeliverySchedule(
        Duration.ofMinutes(1), Duration.ofHours(6), Duration.ofDays(3), 0.2);
  }

  /** The pause after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration pauseAfter(int attempt) {
    Duration pause = firstRetry;
    for (int i = 1; i < attempt && pause.compareTo(maxInterval) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(maxInterval) > 0 ? maxInterval : pause;
  }
}
