package io.payrail.bench;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeoutException;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.payrail.devservers.Ports;
import io.payrail.devservers.RedisDevServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * What the api's rate limiter costs a request: Bucket4j's compare-and-swap buckets over one Lettuce
 * connection to a real redis-server on loopback, configured as {@code RateLimiter} configures them,
 * one thread and several, on many keys and on one hot key (where concurrent updates of the same
 * bucket conflict and are retried). Redis's own command counts give the round trips per request and
 * the retries. The figures are in docs/rate-limits.md.
 *
 * <pre>{@code
 * java -cp "bench/target/classes:$(cat bench/target/bench.classpath)" \
 *   io.payrail.bench.RateLimiterBench
 * }</pre>
 */
public final class RateLimiterBench {

  private static final int REQUESTS_PER_RUN = 20_000;
  private static final int WARM_UP = 5_000;
  private static final int KEYS = 1_000;

  private RateLimiterBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Files.createTempDirectory("rate-limiter-bench-");
    RedisDevServer redis = RedisDevServer.start(data, Ports.free());
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(redis.port())
                .withTimeout(Duration.ofMillis(250))
                .build());
    try (StatefulRedisConnection<String, byte[]> connection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
      ProxyManager<String> buckets =
          Bucket4jLettuce.casBasedBuilder(connection)
              .expirationAfterWrite(
                  ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                      Duration.ofSeconds(10)))
              .requestTimeout(Duration.ofMillis(250))
              .build();
      Map<String, Bucket> batched = new ConcurrentHashMap<>();
      IntFunction<Bucket> perRequest = i -> bucket(buckets, "plain:" + (i % KEYS), false);
      run(connection, 1, perRequest, WARM_UP);
      System.out.println(
          "| threads | keys | bucket | requests/s | p50 µs | p99 µs | round trips per request |"
              + " CAS retries per 1000 | timeouts (250 ms) |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (int threads : new int[] {1, 8, 32}) {
        print(threads, "1000", "per request", run(connection, threads, perRequest, 0));
        print(
            threads,
            "1 (hot)",
            "per request",
            run(connection, threads, i -> bucket(buckets, "plain-hot", false), 0));
        print(
            threads,
            "1000",
            "batching",
            run(
                connection,
                threads,
                i ->
                    batched.computeIfAbsent(
                        "batched:" + (i % KEYS), key -> bucket(buckets, key, true)),
                0));
        print(
            threads,
            "1 (hot)",
            "batching",
            run(
                connection,
                threads,
                i -> batched.computeIfAbsent("batched-hot", key -> bucket(buckets, key, true)),
                0));
      }
      print(1, "1", "in memory", local());
    } finally {
      client.shutdown();
      redis.close();
    }
  }

  private static final Pattern COMMAND_STAT = Pattern.compile("cmdstat_(\\w+):calls=(\\d+),.*");

  record Figures(
      double perSecond,
      Histogram micros,
      double roundTripsPerRequest,
      double retries,
      long timeouts) {}

  private static Figures run(
      StatefulRedisConnection<String, byte[]> connection,
      int threads,
      IntFunction<Bucket> bucketOfRequest,
      int count)
      throws Exception {
    int requests = count > 0 ? count : REQUESTS_PER_RUN;
    connection.sync().configResetstat();
    Histogram micros = new Histogram(3);
    LongAdder timeouts = new LongAdder();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Histogram>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(
            pool.submit(
                () -> {
                  Histogram part = new Histogram(3);
                  for (int i = first; i < requests; i += threads) {
                    long before = System.nanoTime();
                    try {
                      bucketOfRequest.apply(i).tryConsumeAndReturnRemaining(1);
                    } catch (TimeoutException e) {
                      timeouts.increment();
                    }
                    part.recordValue((System.nanoTime() - before) / 1_000);
                  }
                  return part;
                }));
      }
      for (Future<Histogram> part : parts) {
        micros.add(part.get());
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long gets = 0;
    long scripts = 0;
    for (String line : connection.sync().info("commandstats").split("\r?\n")) {
      Matcher stat = COMMAND_STAT.matcher(line);
      if (stat.matches()) {
        long calls = Long.parseLong(stat.group(2));
        switch (stat.group(1)) {
          case "get" -> gets += calls;
          case "eval", "evalsha" -> scripts += calls;
          default -> {}
        }
      }
    }
    // A compare-and-swap is a GET, then a script that GETs again and sets: GETs count the round
    // trips, scripts beyond one per request the retries (batching makes them fewer than requests).
    return new Figures(
        requests / seconds,
        micros,
        (double) gets / requests,
        1000.0 * Math.max(0, scripts - requests) / requests,
        timeouts.sum());
  }

  /**
   * A bucket proxy as the limiter builds it; with batching, the requests that meet on one proxy
   * while a compare-and-swap is in flight go to Redis together, as one.
   */
  private static Bucket bucket(ProxyManager<String> buckets, String key, boolean batching) {
    var builder =
        buckets
            .builder()
            .withImplicitConfigurationReplacement(0, TokensInheritanceStrategy.ADDITIVE);
    if (batching) {
      builder = builder.withOptimization(Optimizations.batching());
    }
    return builder.build(key, RateLimiterBench::configuration);
  }

  /** The same bucket in memory: what a request costs while Redis is down. */
  private static Figures local() {
    Bucket bucket = Bucket.builder().addLimit(bandwidth()).build();
    Histogram micros = new Histogram(3);
    long started = System.nanoTime();
    for (int i = 0; i < REQUESTS_PER_RUN; i++) {
      long before = System.nanoTime();
      bucket.tryConsumeAndReturnRemaining(1);
      micros.recordValue((System.nanoTime() - before) / 1_000);
    }
    return new Figures(REQUESTS_PER_RUN / ((System.nanoTime() - started) / 1e9), micros, 0, 0, 0);
  }

  private static BucketConfiguration configuration() {
    return BucketConfiguration.builder().addLimit(bandwidth()).build();
  }

  /** So large that no request is refused: the cost of counting is what is measured. */
  private static Bandwidth bandwidth() {
    return Bandwidth.builder()
        .capacity(1_000_000_000L)
        .refillGreedy(1_000_000_000L, Duration.ofSeconds(1))
        .build();
  }

  private static void print(int threads, String keys, String bucket, Figures figures) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "| %d | %s | %s | %.0f | %d | %d | %.2f | %.1f | %d |",
            threads,
            keys,
            bucket,
            figures.perSecond(),
            figures.micros().getValueAtPercentile(50),
            figures.micros().getValueAtPercentile(99),
            figures.roundTripsPerRequest(),
            figures.retries(),
            figures.timeouts()));
  }
}
