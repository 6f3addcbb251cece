package io.payrail.devservers;

import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.notifysim.NotificationSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal, PostgreSQL, Kafka, Redis and OpenBao (Vault's API), the acquiring-bank simulator and
 * the notification providers' simulator (SMTP, SMS, push), started together on loopback and stopped
 * together.
 *
 * <pre>{@code
 * try (DevServers servers = DevServers.start(DevServersSettings.onFreePorts(home, repoRoot))) {
 *   servers.springProperties().forEach(System::setProperty);
 * }
 * }</pre>
 */
public final class DevServers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DevServers.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 3;

  private final TemporalDevServer temporal;
  private volatile PostgresDevServer postgres;
  private volatile KafkaDevServer kafka;
  private volatile RedisDevServer redis;
  private final OpenBaoDevServer vault;
  private final BankSimulator bank;
  private final NotificationSimulator notifications;

  private DevServers(
      TemporalDevServer temporal,
      PostgresDevServer postgres,
      KafkaDevServer kafka,
      RedisDevServer redis,
      OpenBaoDevServer vault,
      BankSimulator bank,
      NotificationSimulator notifications) {
    this.temporal = temporal;
    this.postgres = postgres;
    this.kafka = kafka;
    this.redis = redis;
    this.vault = vault;
    this.bank = bank;
    this.notifications = notifications;
  }

  /** Starts the five servers in parallel; if one fails, stops the others and throws. */
  public static DevServers start(DevServersSettings s) {
    // One thread per server: they are slow for I/O and child processes, not for CPU.
    try (ExecutorService starters = Executors.newFixedThreadPool(5)) {
      return start(s, starters);
    }
  }

  private static DevServers start(DevServersSettings s, ExecutorService starters) {
    var temporal =
        CompletableFuture.supplyAsync(
            () ->
                withPortRetries(
                    "Temporal",
                    () ->
                        TemporalDevServer.start(
                            s.data("temporal"),
                            s.tools(),
                            s.logs(),
                            s.infraTemporal(),
                            Ports.preferredOrFree(s.temporalPort()),
                            Ports.preferredOrFree(s.temporalUiPort()))),
            starters);
    var postgres =
        CompletableFuture.supplyAsync(
            () ->
                withPortRetries(
                    "PostgreSQL",
                    () ->
                        PostgresDevServer.start(
                            s.data("postgres"),
                            s.tools().resolve("postgres"),
                            Ports.preferredOrFree(s.postgresPort()))),
            starters);
    var kafka =
        CompletableFuture.supplyAsync(
            () ->
                withPortRetries(
                    "Kafka",
                    () ->
                        KafkaDevServer.start(
                            s.data("kafka"),
                            s.logs(),
                            Ports.preferredOrFree(s.kafkaPort()),
                            Ports.free())),
            starters);
    var redis =
        CompletableFuture.supplyAsync(
            () ->
                withPortRetries(
                    "Redis",
                    () ->
                        RedisDevServer.start(
                            s.data("redis"), Ports.preferredOrFree(s.redisPort()))),
            starters);
    var vault =
        CompletableFuture.supplyAsync(
            () ->
                withPortRetries(
                    "OpenBao",
                    () ->
                        OpenBaoDevServer.start(
                            s.data("openbao"),
                            s.tools(),
                            s.logs(),
                            s.infraVault(),
                            Ports.preferredOrFree(s.vaultPort()))),
            starters);
    List<CompletableFuture<? extends AutoCloseable>> all =
        List.of(temporal, postgres, kafka, redis, vault);
    try {
      CompletableFuture.allOf(temporal, postgres, kafka, redis, vault).join();
      BankSimulator bank =
          withPortRetries(
              "bank simulator",
              () -> BankSimulator.start(Ports.preferredOrFree(s.bankPort()), Faults.NONE));
      NotificationSimulator notifications;
      try {
        notifications =
            withPortRetries(
                "notification simulator",
                () ->
                    NotificationSimulator.start(
                        Ports.preferredOrFree(s.notificationsPort()),
                        Ports.preferredOrFree(s.smtpPort())));
      } catch (RuntimeException | Error e) {
        bank.close();
        throw e;
      }
      return new DevServers(
          temporal.join(),
          postgres.join(),
          kafka.join(),
          redis.join(),
          vault.join(),
          bank,
          notifications);
    } catch (RuntimeException | Error e) {
      // Whatever did start must not outlive this failure (CompletableFuture.allOf waits for all).
      all.forEach(DevServers::closeQuietlyWhenStarted);
      if (e instanceof CompletionException c && c.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Starts a server, and starts it again if it fails. A free port is only free when it is chosen:
   * until the server binds it, any outgoing connection on the machine may take it as its local port
   * (free ports are in the ephemeral range). Each attempt chooses its ports anew.
   */
  static <T> T withPortRetries(String name, Supplier<T> start) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        if (attempt == PORT_ATTEMPTS) {
          throw e;
        }
        log.warn(
            "{} did not start (attempt {} of {}): {}",
            name,
            attempt,
            PORT_ATTEMPTS,
            e.getMessage());
      }
    }
  }

  public TemporalDevServer temporal() {
    return temporal;
  }

  public PostgresDevServer postgres() {
    return postgres;
  }

  public KafkaDevServer kafka() {
    return kafka;
  }

  /** Stops the broker (SIGTERM), keeping its data, for the reliability tests. */
  public void stopKafka() {
    kafka.close();
  }

  /** Starts the stopped broker again, on the same ports with the same data. */
  public void startKafka() {
    kafka = kafka.startAgain();
  }

  /** Stops PostgreSQL (fast shutdown: open connections are cut) and starts it again. */
  public void restartPostgres() {
    postgres.close();
    postgres = postgres.startAgain();
  }

  /** Stops Redis, keeping its data (append-only file), for the rate limiter's outage tests. */
  public void stopRedis() {
    redis.close();
  }

  /** Starts the stopped Redis again, on the same port with the same data. */
  public void startRedis() {
    redis = redis.startAgain();
  }

  public RedisDevServer redis() {
    return redis;
  }

  public OpenBaoDevServer vault() {
    return vault;
  }

  public BankSimulator bank() {
    return bank;
  }

  public NotificationSimulator notifications() {
    return notifications;
  }

  /**
   * The settings that point the api and workers applications at these servers instead of the
   * production hosts of {@code payrail-platform.yml}.
   */
  public Map<String, String> springProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", postgres.jdbcUrl());
    properties.put("spring.datasource.username", PostgresDevServer.APP);
    properties.put("spring.datasource.password", postgres.appPassword());
    properties.put("spring.flyway.user", PostgresDevServer.OWNER);
    properties.put("spring.flyway.password", postgres.ownerPassword());
    properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    properties.put("spring.data.redis.host", "127.0.0.1");
    properties.put("spring.data.redis.port", Integer.toString(redis.port()));
    properties.put("spring.temporal.connection.target", temporal.target());
    properties.put("spring.temporal.namespace", temporal.namespace());
    properties.put("payrail.vault.uri", vault.uri());
    properties.put("payrail.vault.token", vault.applicationToken());
    properties.put("payrail.bank.url", bank.baseUrl());
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", Integer.toString(notifications.smtpPort()));
    properties.put("payrail.notifications.provider-url", notifications.baseUrl());
    return properties;
  }

  /** Stops every server, in parallel, and logs how long each took. */
  @Override
  public void close() {
    closeAllQuietly(
        Map.of(
            "bank simulator", bank,
            "notification simulator", notifications,
            "Redis", redis,
            "OpenBao", vault,
            "Kafka", kafka,
            "PostgreSQL", postgres,
            "Temporal", temporal));
  }

  /** Closes each in a thread of its own, logging how long each took; waits for all. */
  public static void closeAllQuietly(Map<String, ? extends AutoCloseable> closeables) {
    List<Thread> stoppers = new ArrayList<>();
    closeables.forEach(
        (name, closeable) ->
            stoppers.add(
                Thread.ofPlatform()
                    .name("stop-" + name)
                    .start(
                        () -> {
                          long started = System.nanoTime();
                          closeQuietly(closeable);
                          log.info(
                              "stopped {} in {} ms",
                              name,
                              (System.nanoTime() - started) / 1_000_000);
                        })));
    for (Thread stopper : stoppers) {
      try {
        if (!stopper.join(STOP_TIMEOUT)) {
          log.warn("{} did not stop within {}", stopper.getName(), STOP_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void closeQuietlyWhenStarted(CompletableFuture<? extends AutoCloseable> future) {
    future.thenAccept(DevServers::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      log.warn("could not stop {} cleanly", server.getClass().getSimpleName(), e);
    }
  }
}
