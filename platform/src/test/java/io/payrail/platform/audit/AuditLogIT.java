package io.payrail.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.Ports;
import io.payrail.devservers.PostgresDevServer;
import io.payrail.devservers.SharedDevServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log against a real PostgreSQL with Payrail's two roles: the application's role may only
 * read and append, the trigger stops even the owner, and the verifier names the record a superuser
 * tampered with. Each test gets a database of its own, migrated by Flyway as the owner.
 */
class AuditLogIT {

  private static final AuditActor ADMIN =
      new AuditActor("staff", "u-123", "u-123", "alice", "admin");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private static PostgresDevServer postgres;

  private String url;
  private DataSource app;
  private AuditLog audit;
  private TransactionTemplate transaction;

  @BeforeAll
  static void startPostgres() throws Exception {
    Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "audit-");
    postgres =
        PostgresDevServer.start(
            home.resolve("postgres"),
            SharedDevServers.repoRoot().resolve(".payrail/tools/postgres"),
            Ports.free());
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @BeforeEach
  void freshDatabase() throws SQLException {
    String database = "audit_" + DATABASES.incrementAndGet();
    try (Connection superuser = postgres.superuserDataSource().getConnection();
        Statement sql = superuser.createStatement()) {
      sql.execute("CREATE DATABASE " + database + " OWNER " + PostgresDevServer.OWNER);
    }
    url = postgres.jdbcUrl().replace("/" + PostgresDevServer.DATABASE, "/" + database);
    Flyway.configure()
        .dataSource(url, PostgresDevServer.OWNER, postgres.ownerPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    app = new DriverManagerDataSource(url, PostgresDevServer.APP, postgres.appPassword());
    audit =
        new AuditLog(JdbcClient.create(app), () -> Optional.of(ADMIN), "test", Clock.systemUTC());
    transaction = new TransactionTemplate(new DataSourceTransactionManager(app));
  }

  @Test
  void record_appendsOneHashedRecordLinkedToThePrevious() {
    AuditRecord first = append("merchant.created", "mer_1");
    AuditRecord second = append("api_key.revoked", "key_1");

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.prevHash()).isEqualTo(AuditRecord.GENESIS);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    Map<String, Object> row =
        JdbcClient.create(app).sql("SELECT * FROM audit_log WHERE seq = 2").query().singleRow();
    assertThat(row)
        .containsEntry("actor_kind", "staff")
        .containsEntry("actor_id", "u-123")
        .containsEntry("actor_name", "alice")
        .containsEntry("actor_role", "admin")
        .containsEntry("action", "api_key.revoked")
        .containsEntry("target_type", "api_key")
        .containsEntry("target_id", "key_1")
        .containsEntry("changes", "{\"after\":{\"name\":\"key_1\"},\"before\":{}}")
        .containsEntry("hash", second.hash());
    assertThat(verify().intact()).isTrue();
  }

  @Test
  void record_outsideATransaction_isRefused() {
    assertThatThrownBy(
            () ->
                audit.record(
                    "merchant.created",
                    AuditTarget.of("merchant", "mer_1"),
                    AuditChanges.created(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction");
  }

  @Test
  void applicationRole_mayNotUpdateDeleteOrTruncate() {
    append("merchant.created", "mer_1");

    for (String statement :
        List.of(
            "UPDATE audit_log SET action = 'merchant.deleted'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log")) {
      assertThatThrownBy(() -> execute(app, statement))
          .as(statement)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied for table audit_log");
    }
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void applicationRole_mayStillWriteTheOtherTables() throws SQLException {
    execute(app, "INSERT INTO merchants (id, name) VALUES ('mer_0123456789abcdefghijklmn', 'x')");
    execute(app, "UPDATE merchants SET name = 'y'");
    execute(app, "DELETE FROM merchants");
  }

  @Test
  void owner_isStoppedByTheTrigger() {
    append("merchant.created", "mer_1");
    DataSource owner =
        new DriverManagerDataSource(url, PostgresDevServer.OWNER, postgres.ownerPassword());

    for (String statement :
        List.of(
            "UPDATE audit_log SET action = 'merchant.deleted'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log")) {
      assertThatThrownBy(() -> execute(owner, statement))
          .as(statement)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("audit_log is append-only");
    }
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void verifier_namesTheRecordWhoseChangesASuperuserAltered() throws Exception {
    appendFive();

    superuser(
        "UPDATE audit_log SET changes = '{\"after\":{\"name\":\"forged\"},\"before\":{}}'"
            + " WHERE seq = 3");

    AuditChainVerifier.Verification verification = verify();
    assertThat(verification.intact()).isFalse();
    assertThat(verification.brokenSeq()).isEqualTo(3);
    assertThat(verification.problem()).contains("record 3 was altered");
    assertThat(verification.headHash()).isEqualTo(hashOf(2));
  }

  @Test
  void verifier_namesTheMissingRecord_whenOneInTheMiddleIsDeleted() throws Exception {
    appendFive();

    superuser("DELETE FROM audit_log WHERE seq = 3");

    AuditChainVerifier.Verification verification = verify();
    assertThat(verification.brokenSeq()).isEqualTo(3);
    assertThat(verification.problem()).contains("record 3 is missing").contains("4 follows 2");
  }

  @Test
  void verifier_namesTheNextRecord_whenOneIsAlteredAndRehashed() throws Exception {
    appendFive();
    AuditRecord original = read(3);
    AuditRecord forged =
        new AuditRecord(
            3,
            original.occurredAt(),
            original.actor(),
            "merchant.deleted",
            original.target(),
            original.requestId(),
            original.changes(),
            original.prevHash(),
            null);

    superuser(
        "UPDATE audit_log SET action = 'merchant.deleted', hash = '"
            + forged.computeHash()
            + "' WHERE seq = 3");

    AuditChainVerifier.Verification verification = verify();
    assertThat(verification.brokenSeq()).isEqualTo(4);
    assertThat(verification.problem()).contains("record 4 does not link to record 3");
  }

  @Test
  void command_exitsZeroWhenIntact_oneNamingTheRecordWhenBroken() throws Exception {
    appendFive();
    String[] args = {"--url", url, "--user", PostgresDevServer.APP};
    Map<String, String> env = Map.of("PAYRAIL_AUDIT_DB_PASSWORD", postgres.appPassword());

    Output intact = command(args, env);
    superuser("UPDATE audit_log SET target_id = 'mer_other' WHERE seq = 2");
    Output broken = command(args, env);
    Output unreachable =
        command(new String[] {"--url", url.replace("/audit_", "/nowhere_"), "--user", "x"}, env);

    assertThat(intact.exit()).isEqualTo(AuditVerifyCommand.INTACT);
    assertThat(intact.out()).contains("audit log intact: 5 records");
    assertThat(broken.exit()).isEqualTo(AuditVerifyCommand.BROKEN);
    assertThat(broken.out()).contains("BROKEN at record 2: record 2 was altered");
    assertThat(unreachable.exit()).isEqualTo(AuditVerifyCommand.COULD_NOT_CHECK);
    assertThat(unreachable.err()).contains("could not read the audit log");
  }

  @Test
  void concurrentAppends_formOneUnbrokenChain() throws Exception {
    int threads = 8;
    int perThread = 25;
    List<Callable<Void>> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(
          () -> {
            for (int i = 0; i < perThread; i++) {
              append("api_key.created", "key_" + thread + "_" + i);
            }
            return null;
          });
    }

    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (Future<Void> done : pool.invokeAll(appenders)) {
        done.get();
      }
    }

    AuditChainVerifier.Verification verification = verify();
    assertThat(verification.intact()).as(verification.problem()).isTrue();
    assertThat(verification.checked()).isEqualTo(threads * perThread);
    assertThat(
            JdbcClient.create(app)
                .sql("SELECT count(DISTINCT prev_hash) FROM audit_log")
                .query(Long.class)
                .single())
        .as("no two records extend the same one")
        .isEqualTo(threads * perThread);
  }

  private AuditRecord append(String action, String targetId) {
    return transaction.execute(
        status ->
            audit.record(
                action,
                AuditTarget.of(action.substring(0, action.indexOf('.')), targetId),
                AuditChanges.created(Map.of("name", targetId))));
  }

  private void appendFive() {
    for (int i = 1; i <= 5; i++) {
      append("merchant.created", "mer_" + i);
    }
    assertThat(verify().intact()).isTrue();
  }

  private AuditChainVerifier.Verification verify() {
    try (Connection connection = app.getConnection()) {
      return AuditChainVerifier.verify(connection);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private AuditRecord read(long seq) {
    return JdbcClient.create(app)
        .sql(
            """
            SELECT seq, occurred_at, actor_kind, actor_id, actor_credential_id, actor_name,
                   actor_role, action, target_type, target_id, request_id, changes, prev_hash, hash
            FROM audit_log WHERE seq = ?
            """)
        .param(seq)
        .query(
            (row, n) ->
                new AuditRecord(
                    row.getLong(1),
                    row.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                    new AuditActor(
                        row.getString(3),
                        row.getString(4),
                        row.getString(5),
                        row.getString(6),
                        row.getString(7)),
                    row.getString(8),
                    new AuditTarget(row.getString(9), row.getString(10)),
                    row.getString(11),
                    row.getString(12),
                    row.getString(13),
                    row.getString(14)))
        .single();
  }

  private String hashOf(long seq) {
    return read(seq).hash();
  }

  private long count() {
    return JdbcClient.create(app).sql("SELECT count(*) FROM audit_log").query(Long.class).single();
  }

  /** What only a superuser can do: switch triggers off for the session, then change history. */
  private void superuser(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", null);
        Statement sql = connection.createStatement()) {
      sql.execute("SET session_replication_role = replica");
      sql.execute(statement);
    }
  }

  private static void execute(DataSource dataSource, String statement) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  private record Output(int exit, String out, String err) {}

  private static Output command(String[] args, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        AuditVerifyCommand.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Output(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
