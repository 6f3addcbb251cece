package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode, run from the Apache Kafka jars in a JVM of its own
 * (as {@code kafka-server-start.sh} would), with its log folder kept between runs.
 *
 * <p>The controller quorum is static ({@code controller.quorum.voters}), not recorded at format
 * time, so the stack may pick other ports on the next start without breaking the stored metadata.
 */
public final class KafkaDevServer implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final ManagedProcess process;
  private final int port;
  private final Path dataDir;
  private final Path logDir;
  private final int controllerPort;

  private KafkaDevServer(
      ManagedProcess process, int port, Path dataDir, Path logDir, int controllerPort) {
    this.process = process;
    this.port = port;
    this.dataDir = dataDir;
    this.logDir = logDir;
    this.controllerPort = controllerPort;
  }

  public static KafkaDevServer start(Path dataDir, Path logDir, int port, int controllerPort) {
    try {
      Path logs = dataDir.resolve("logs");
      Files.createDirectories(logs);
      Path config = dataDir.resolve("server.properties");
      writeConfig(config, logs, port, controllerPort);
      writeLogbackConfig(dataDir.resolve("logback.xml"));
      if (!Files.exists(logs.resolve("meta.properties"))) {
        ManagedProcess.run(
            "kafka-storage format",
            java(
                dataDir,
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                config.toString(),
                "--ignore-formatted"),
            Map.of(),
            Duration.ofSeconds(60));
      }
      ManagedProcess process =
          ManagedProcess.start(
              "Kafka",
              java(dataDir, "kafka.Kafka", config.toString()),
              Map.of(),
              logDir.resolve("kafka.log"));
      KafkaDevServer server = new KafkaDevServer(process, port, dataDir, logDir, controllerPort);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Kafka did not start", e);
    }
  }

  /** The same broker started again (after {@link #close}): same ports, same data. */
  public KafkaDevServer startAgain() {
    if (process.isAlive()) {
      throw new IllegalStateException("Kafka is running");
    }
    return start(dataDir, logDir, port, controllerPort);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public ManagedProcess process() {
    return process;
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(STARTUP);
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
    while (Instant.now().isBefore(deadline)) {
      process.requireAlive();
      try (Admin admin = Admin.create(config)) {
        if (!admin.describeCluster().nodes().get().isEmpty()) {
          return;
        }
      } catch (Exception notYet) {
        Waiting.pause(Duration.ofMillis(250));
      }
    }
    throw new IllegalStateException(
        "Kafka did not answer within " + STARTUP + "; see " + process.logFile());
  }

  private static void writeConfig(Path config, Path logs, int port, int controllerPort)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logs.toAbsolutePath().toString());
    p.setProperty("num.partitions", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "false");
    try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      p.store(out, "written by Payrail's KafkaDevServer on every start");
    }
  }

  /** The broker logs through SLF4J; without a configuration Logback would log at DEBUG. */
  private static void writeLogbackConfig(Path file) throws IOException {
    Files.writeString(
        file,
        """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601} %-5level %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.kafka" level="WARN"/>
          <logger name="kafka" level="WARN"/>
          <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """,
        StandardCharsets.UTF_8);
  }

  /** The same JDK and classpath as this process: the Kafka jars are on it. */
  private static List<String> java(Path dataDir, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xms128m");
    command.add("-Xmx512m");
    command.add("-XX:+UseG1GC");
    command.add("-Dlogback.configurationFile=" + dataDir.resolve("logback.xml").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  @Override
  public void close() {
    process.close();
  }
}
