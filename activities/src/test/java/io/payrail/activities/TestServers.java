package io.payrail.activities;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.payrail.devservers.KafkaDevServer;
import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.devservers.Ports;
import io.payrail.devservers.PostgresDevServer;
import io.payrail.devservers.SharedDevServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.flywaydb.core.Flyway;

/**
 * The real PostgreSQL (with Payrail's schema) and Kafka broker the integration tests of this module
 * share: one of each per test JVM, on free loopback ports, started on first use under {@code
 * target/} and stopped when the JVM exits. Only the servers this module needs: no Temporal, no
 * Redis; OpenBao for the card vault's keys.
 */
public final class TestServers {

  /** The payment events topic, as payrail-platform.yml declares it (fewer partitions). */
  public static final String PAYMENT_EVENTS = "payrail.payment-events";

  /**
   * Every topic payrail-platform.yml declares. The broker creates none on its own, and the relay
   * publishes in order: one event for a missing topic would hold up every later one.
   */
  private static final List<String> TOPICS =
      List.of(PAYMENT_EVENTS, "payrail.refund-events", "payrail.webhook-endpoint-events");

  private static Path home;
  private static PostgresDevServer postgres;
  private static HikariDataSource dataSource;
  private static KafkaDevServer kafka;
  private static int kafkaPort;
  private static int kafkaControllerPort;
  private static OpenBaoDevServer vault;

  private TestServers() {}

  /**
   * A pooled data source of the applications' role ({@code payrail_app}), the schema migrated by
   * Flyway as the owner, as in the applications.
   */
  public static synchronized DataSource database() {
    if (dataSource == null) {
      postgres =
          PostgresDevServer.start(
              home().resolve("postgres"),
              SharedDevServers.repoRoot().resolve(".payrail/tools/postgres"),
              Ports.free());
      Flyway.configure()
          .dataSource(postgres.jdbcUrl(), PostgresDevServer.OWNER, postgres.ownerPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(postgres.jdbcUrl());
      config.setUsername(PostgresDevServer.APP);
      config.setPassword(postgres.appPassword());
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
    }
    return dataSource;
  }

  public static String jdbcUrl() {
    database();
    return postgres.jdbcUrl();
  }

  /** The password of the applications' role, {@link PostgresDevServer#APP}. */
  public static String appPassword() {
    database();
    return postgres.appPassword();
  }

  /** OpenBao, set up as infra/vault/setup.sh does, starting it if needed. */
  public static synchronized OpenBaoDevServer vault() {
    if (vault == null) {
      vault =
          OpenBaoDevServer.start(
              home().resolve("openbao"),
              SharedDevServers.repoRoot().resolve(".payrail/tools"),
              home().resolve("logs"),
              SharedDevServers.repoRoot().resolve("infra/vault"),
              Ports.free());
    }
    return vault;
  }

  /** The broker's bootstrap address, starting it (with Payrail's topics) if needed. */
  public static synchronized String kafka() {
    if (kafka == null) {
      kafkaPort = Ports.free();
      kafkaControllerPort = Ports.free();
      startKafka();
      try (Admin admin = Admin.create(adminConfig())) {
        admin
            .createTopics(TOPICS.stream().map(topic -> new NewTopic(topic, 3, (short) 1)).toList())
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("could not create " + TOPICS, e);
      }
    }
    return bootstrapServers();
  }

  /** Stops the broker (SIGTERM), keeping its data and ports for {@link #restartKafka}. */
  public static synchronized void stopKafka() {
    kafka();
    kafka.close();
  }

  /** Starts the stopped broker again on the same ports, with the same data. */
  public static synchronized void restartKafka() {
    startKafka();
  }

  private static void startKafka() {
    kafka =
        KafkaDevServer.start(
            home().resolve("kafka"), home().resolve("logs"), kafkaPort, kafkaControllerPort);
  }

  private static String bootstrapServers() {
    return "127.0.0.1:" + kafkaPort;
  }

  private static Map<String, Object> adminConfig() {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
  }

  private static Path home() {
    if (home == null) {
      try {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        home = Files.createTempDirectory(target, "test-servers-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopAll, "test-servers-stop"));
    }
    return home;
  }

  private static synchronized void stopAll() {
    if (dataSource != null) {
      dataSource.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (vault != null) {
      vault.close();
    }
  }
}
