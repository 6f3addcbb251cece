package io.payrail.api.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one token from a caller's bucket in Redis, shared by every api instance (Bucket4j's
 * compare-and-swap over Lettuce: a GET and a script, retried when another request updated the
 * bucket in between). When Redis fails, the limiter stops asking it for {@code redis-backoff} and
 * decides each request at once by its class's policy: a bucket in this instance's memory, or a
 * refusal. After the back-off the next request tries Redis again (reconnecting if needed), so an
 * outage costs one {@code redis-timeout} per back-off period, not one per request.
 *
 * <p>Meters: {@code payrail.rate_limit.redis.calls} (tag {@code outcome}: ok, error) and {@code
 * payrail.rate_limit.local.decisions}, so that an operator sees an outage in the limiter.
 */
class RateLimiter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** A full bucket stays in Redis this long after it refilled, then expires. */
  private static final Duration KEEP_FULL_BUCKETS = Duration.ofSeconds(10);

  private final RateLimitProperties settings;
  private final RedisClient client;
  private final Map<String, LocalBucket> localBuckets;
  private final Map<String, RemoteBucket> remoteBuckets;
  private final Counter redisOk;
  private final Counter redisErrors;
  private final Counter localDecisions;

  private final Object connecting = new Object();
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private volatile ProxyManager<String> buckets;
  private volatile long redisRetryAt = System.nanoTime();
  private volatile boolean redisDown;

  RateLimiter(RateLimitProperties settings, RedisClient client, MeterRegistry meters) {
    this.settings = settings;
    this.client = client;
    this.localBuckets = lruMap(settings.localBuckets());
    this.remoteBuckets = lruMap(settings.localBuckets());
    this.redisOk = meters.counter("payrail.rate_limit.redis.calls", "outcome", "ok");
    this.redisErrors = meters.counter("payrail.rate_limit.redis.calls", "outcome", "error");
    this.localDecisions = meters.counter("payrail.rate_limit.local.decisions");
  }

  /** Takes one token from the bucket {@code key}, held to {@code policy}. */
  Decision consume(String key, Policy policy) {
    if (redisWorthTrying()) {
      try {
        ConsumptionProbe probe = redisBucket(key, policy).tryConsumeAndReturnRemaining(1);
        redisOk.increment();
        if (redisDown) {
          redisDown = false;
          log.info("Redis answers again: rate limits are shared by every instance again");
        }
        return Decision.of(probe, policy);
      } catch (RuntimeException e) {
        redisErrors.increment();
        backOff(e);
      }
    }
    if (policy.limit().whenRedisDown() == RateLimitProperties.WhenRedisDown.REFUSE) {
      return Decision.unavailable(Decision.seconds(redisRetryAt - System.nanoTime()));
    }
    localDecisions.increment();
    return Decision.of(localBucket(key, policy).tryConsumeAndReturnRemaining(1), policy);
  }

  private boolean redisWorthTrying() {
    return !redisDown || System.nanoTime() - redisRetryAt >= 0;
  }

  /**
   * The handle on a Redis bucket, kept from one request to the next: with Bucket4j's batching, the
   * requests that meet on it while a compare-and-swap is in flight go to Redis together, as one,
   * instead of each retrying against the others. Without it, 32 concurrent requests on one key kept
   * conflicting past the timeout (docs/rate-limits.md).
   */
  private Bucket redisBucket(String key, Policy policy) {
    ProxyManager<String> manager = proxyManager();
    synchronized (remoteBuckets) {
      RemoteBucket remote = remoteBuckets.get(key);
      if (remote == null || remote.version() != policy.version() || remote.manager() != manager) {
        Bucket bucket =
            manager
                .builder()
                .withImplicitConfigurationReplacement(
                    policy.version(), TokensInheritanceStrategy.ADDITIVE)
                .withOptimization(Optimizations.batching())
                .build(key, () -> configuration(policy));
        remote = new RemoteBucket(bucket, policy.version(), manager);
        remoteBuckets.put(key, remote);
      }
      return remote.bucket();
    }
  }

  /** A handle on a bucket in Redis, through the connection it was made with. */
  private record RemoteBucket(Bucket bucket, long version, ProxyManager<String> manager) {}

  /** The connection and its proxy manager, opened on first use and after a failure. */
  private ProxyManager<String> proxyManager() {
    ProxyManager<String> current = buckets;
    if (current != null) {
      return current;
    }
    synchronized (connecting) {
      if (buckets == null) {
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        buckets =
            Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_FULL_BUCKETS))
                .requestTimeout(settings.redisTimeout())
                .build();
      }
      return buckets;
    }
  }

  /**
   * Drops the connection (the next try opens a new one, rather than wait on Lettuce's own
   * reconnection schedule) and asks Redis nothing until the back-off has passed.
   */
  private void backOff(RuntimeException e) {
    redisRetryAt = System.nanoTime() + settings.redisBackoff().toNanos();
    if (!redisDown) {
      redisDown = true;
      log.warn(
          "Redis failed ({}): rate limits are per instance, or refused, for {}; retrying then",
          e.toString(),
          settings.redisBackoff());
    }
    synchronized (connecting) {
      StatefulRedisConnection<String, byte[]> broken = connection;
      connection = null;
      buckets = null;
      if (broken != null) {
        broken.closeAsync();
      }
    }
  }

  private LocalBucket localBucket(String key, Policy policy) {
    synchronized (localBuckets) {
      LocalBucket local = localBuckets.get(key);
      if (local == null) {
        local = new LocalBucket(Bucket.builder().addLimit(bandwidth(policy)).build());
        local.version = policy.version();
        localBuckets.put(key, local);
      } else if (local.version != policy.version()) {
        local.bucket.replaceConfiguration(
            configuration(policy), TokensInheritanceStrategy.ADDITIVE);
        local.version = policy.version();
      }
      return local;
    }
  }

  /** A bucket of this instance's memory, and the version of the policy it holds to. */
  private static final class LocalBucket {
    private final Bucket bucket;
    private long version;

    LocalBucket(Bucket bucket) {
      this.bucket = bucket;
    }

    ConsumptionProbe tryConsumeAndReturnRemaining(long tokens) {
      return bucket.tryConsumeAndReturnRemaining(tokens);
    }
  }

  private static BucketConfiguration configuration(Policy policy) {
    return BucketConfiguration.builder().addLimit(bandwidth(policy)).build();
  }

  private static Bandwidth bandwidth(Policy policy) {
    RateLimitProperties.Limit limit = policy.limit();
    return Bandwidth.builder()
        .capacity(limit.capacity())
        .refillGreedy(limit.capacity(), limit.period())
        .build();
  }

  private static <V> Map<String, V> lruMap(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public void close() {
    synchronized (connecting) {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
