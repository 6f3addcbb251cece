package io.payrail.api.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The limiter's settings ({@code payrail.rate-limits}): a token bucket per API key or staff member
 * for each {@link EndpointClass}, kept in Redis so that every api instance counts against the same
 * bucket. Per-merchant overrides of the merchant classes are in the database, set through {@code
 * POST /admin/v1/merchants/{id}/rate_limits}.
 *
 * @param enabled off, no request is counted (for a benchmark of the API without the limiter)
 * @param redisTimeout the longest a request waits for Redis: connecting and each command; Redis on
 *     the same network answers in well under a millisecond, so this only bounds trouble
 * @param redisBackoff after Redis fails, the limiter does not try it again for this long: the
 *     requests in between are decided locally (or refused) at once instead of each waiting for the
 *     timeout
 * @param overridesCacheTtl how long an instance keeps a merchant's overrides before reading them
 *     again; the instance that changes them forgets its copy at once, the others within this time
 * @param localBuckets how many callers' buckets an instance keeps in memory, least recently used
 *     first out: its handles on their Redis buckets, and the buckets it counts in during outages
 * @param classes the default limit of each class of endpoint
 */
@ConfigurationProperties("payrail.rate-limits")
public record RateLimitProperties(
    boolean enabled,
    Duration redisTimeout,
    Duration redisBackoff,
    Duration overridesCacheTtl,
    int localBuckets,
    Map<EndpointClass, Limit> classes) {

  public RateLimitProperties {
    classes = classes == null ? Map.of() : new EnumMap<>(classes);
    for (EndpointClass endpointClass : EndpointClass.values()) {
      if (!classes.containsKey(endpointClass)) {
        throw new IllegalArgumentException(
            "payrail.rate-limits.classes." + endpointClass.configName() + " is not set");
      }
    }
    if (localBuckets < 1) {
      throw new IllegalArgumentException("payrail.rate-limits.local-buckets must be at least 1");
    }
  }

  /**
   * A bucket of {@code capacity} tokens, refilled greedily at {@code capacity} per {@code period}:
   * a burst of {@code capacity} requests, then one request per {@code period / capacity}.
   *
   * @param whenRedisDown what requests of this class get while Redis cannot be reached
   */
  public record Limit(long capacity, Duration period, WhenRedisDown whenRedisDown) {

    public Limit {
      if (capacity < 1 || capacity > 1_000_000) {
        throw new IllegalArgumentException("a rate limit's capacity must be 1 to 1000000");
      }
      if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("a rate limit's period must be at least 1s");
      }
      if (whenRedisDown == null) {
        whenRedisDown = WhenRedisDown.LOCAL;
      }
    }

    Limit withCapacityAndPeriod(long newCapacity, Duration newPeriod) {
      return new Limit(newCapacity, newPeriod, whenRedisDown);
    }
  }

  /** The policy of a class of endpoint while Redis is unreachable. */
  public enum WhenRedisDown {
    /** Count in a bucket of this instance's memory: each instance allows the whole limit. */
    LOCAL,
    /** Answer 503: nothing of this class is done while it cannot be counted. */
    REFUSE
  }

  Limit limit(EndpointClass endpointClass) {
    return classes.get(endpointClass);
  }
}
