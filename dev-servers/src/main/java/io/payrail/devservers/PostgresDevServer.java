package io.payrail.devservers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) whose data folder survives restarts. It
 * holds the {@code payrail} database owned by the {@code payrail} role, as in docker-compose.yml.
 */
public final class PostgresDevServer implements AutoCloseable {

  public static final String DATABASE = "payrail";
  public static final String USER = "payrail";
  public static final String PASSWORD = "payrail";

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final Path binariesDir;

  private PostgresDevServer(EmbeddedPostgres postgres, Path dataDir, Path binariesDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.binariesDir = binariesDir;
  }

  /** The same server started again (after {@link #close}): same port, same data. */
  public PostgresDevServer startAgain() {
    return start(dataDir, binariesDir, port());
  }

  public static PostgresDevServer start(Path dataDir, Path binariesDir, int port) {
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(binariesDir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binariesDir.toFile())
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .start();
      PostgresDevServer server = new PostgresDevServer(postgres, dataDir, binariesDir);
      server.createDatabaseAndRole();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start in " + dataDir, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  /** A superuser data source, for tests that inspect the database behind the applications. */
  public DataSource superuserDataSource() {
    return postgres.getDatabase("postgres", DATABASE);
  }

  private void createDatabaseAndRole() {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
        statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      }
      if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the payrail database", e);
    }
  }

  private static boolean exists(Statement statement, String query) throws SQLException {
    try (ResultSet rows = statement.executeQuery(query)) {
      return rows.next();
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
    }
  }
}
