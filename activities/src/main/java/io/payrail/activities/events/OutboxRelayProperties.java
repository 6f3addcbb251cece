package io.payrail.activities.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The outbox relay ({@code payrail.events.relay}).
 *
 * @param enabled whether this process runs a relay; default true. Several may run: each takes the
 *     events the others have not locked.
 * @param pollInterval the pause between polls that found less than a full batch; default 200 ms
 * @param batchSize the most events one transaction publishes; default 200
 * @param ackTimeout how long a batch waits for Kafka's acknowledgements; default 35 s. Keep it
 *     above the producer's {@code delivery.timeout.ms} (30 s in payrail-platform.yml), so that the
 *     producer has given up on a record before the relay rolls its batch back, instead of still
 *     holding it to deliver later.
 * @param maxBackoff the longest pause between polls while Kafka or the database fails; the pause
 *     doubles from {@code pollInterval} up to it. Default 10 s.
 */
@ConfigurationProperties("payrail.events.relay")
public record OutboxRelayProperties(
    Boolean enabled,
    Duration pollInterval,
    Integer batchSize,
    Duration ackTimeout,
    Duration maxBackoff) {

  public OutboxRelayProperties {
    enabled = enabled == null || enabled;
    pollInterval = positive("poll-interval", pollInterval, Duration.ofMillis(200));
    batchSize = batchSize == null ? 200 : batchSize;
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch-size must be at least 1");
    }
    ackTimeout = positive("ack-timeout", ackTimeout, Duration.ofSeconds(35));
    maxBackoff = positive("max-backoff", maxBackoff, Duration.ofSeconds(10));
  }

  /** The defaults alone: what an empty {@code payrail.events.relay} gives. */
  public static OutboxRelayProperties defaults() {
    return new OutboxRelayProperties(null, null, null, null, null);
  }

  private static Duration positive(String name, Duration value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }
}
