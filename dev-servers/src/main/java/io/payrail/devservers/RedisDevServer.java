package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary embedded-redis ships) with append-only persistence in its data
 * folder, so cached and rate-limit state survive a restart as they would in production.
 */
public final class RedisDevServer implements AutoCloseable {

  private final RedisServer server;
  private final Path dataDir;
  private final int port;

  private RedisDevServer(RedisServer server, Path dataDir, int port) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
  }

  public static RedisDevServer start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .setting("bind 127.0.0.1")
              .setting("dir " + dataDir.toAbsolutePath())
              .setting("appendonly yes")
              .setting("save 60 1")
              .setting("daemonize no")
              .build();
      server.start();
      Ports.awaitListening("Redis", port, Duration.ofSeconds(15));
      return new RedisDevServer(server, dataDir, port);
    } catch (IOException e) {
      throw new UncheckedIOException("Redis did not start", e);
    }
  }

  /** A new server on the same port and data folder, after {@link #close()}: the data is kept. */
  public RedisDevServer startAgain() {
    if (server.isActive()) {
      throw new IllegalStateException("Redis is running");
    }
    return start(dataDir, port);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new UncheckedIOException("Redis did not stop cleanly", e);
    }
  }
}
