package io.payrail.devservers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import javax.sql.DataSource;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) whose data folder survives restarts. It
 * holds the {@code payrail} database with the two roles of docker-compose.yml: {@link #OWNER},
 * which owns the database and runs Flyway, and {@link #APP}, which the applications connect as and
 * which may not change the audit log (docs/audit.md). Their passwords are drawn at each start and
 * set again, so none is written anywhere; the superuser stays for tests that look behind the
 * applications.
 */
public final class PostgresDevServer implements AutoCloseable {

  public static final String DATABASE = "payrail";

  /** Owns the database and its tables; Flyway's role ({@code spring.flyway.user}). */
  public static final String OWNER = "payrail";

  /** The applications' role ({@code spring.datasource.username}); see V6__audit_log.sql. */
  public static final String APP = "payrail_app";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final Path binariesDir;
  private final String ownerPassword;
  private final String appPassword;

  private PostgresDevServer(
      EmbeddedPostgres postgres,
      Path dataDir,
      Path binariesDir,
      String ownerPassword,
      String appPassword) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.binariesDir = binariesDir;
    this.ownerPassword = ownerPassword;
    this.appPassword = appPassword;
  }

  /**
   * The same server started again (after {@link #close}): same port, same data, same passwords, so
   * applications connected before reconnect.
   */
  public PostgresDevServer startAgain() {
    return start(dataDir, binariesDir, port(), ownerPassword, appPassword);
  }

  public static PostgresDevServer start(Path dataDir, Path binariesDir, int port) {
    return start(dataDir, binariesDir, port, newPassword(), newPassword());
  }

  private static PostgresDevServer start(
      Path dataDir, Path binariesDir, int port, String ownerPassword, String appPassword) {
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
      PostgresDevServer server =
          new PostgresDevServer(postgres, dataDir, binariesDir, ownerPassword, appPassword);
      server.createDatabaseAndRoles();
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

  public String ownerPassword() {
    return ownerPassword;
  }

  public String appPassword() {
    return appPassword;
  }

  /** A superuser data source, for tests that inspect the database behind the applications. */
  public DataSource superuserDataSource() {
    return postgres.getDatabase("postgres", DATABASE);
  }

  /** Creates what is missing (a data folder from before the split has the owner only). */
  private void createDatabaseAndRoles() {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      for (String role : new String[] {OWNER, APP}) {
        if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
          statement.execute("CREATE ROLE " + role + " LOGIN");
        }
      }
      statement.execute("ALTER ROLE " + OWNER + " LOGIN PASSWORD '" + ownerPassword + "'");
      statement.execute("ALTER ROLE " + APP + " LOGIN PASSWORD '" + appPassword + "'");
      if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the payrail database and roles", e);
    }
  }

  /** 32 hex characters: nothing that needs quoting in SQL. */
  private static String newPassword() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
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
