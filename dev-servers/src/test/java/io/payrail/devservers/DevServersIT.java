package io.payrail.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real servers twice on one home folder and shows that the second start keeps data. */
class DevServersIT {

  private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path home;

  @Test
  void restart_onSameHome_keepsPostgresKafkaRedisAndTemporalData() throws Exception {
    DevServersSettings settings = DevServersSettings.onFreePorts(home, REPO_ROOT);

    try (DevServers servers = DevServers.start(settings)) {
      try (Connection db = connect(servers);
          Statement sql = db.createStatement()) {
        sql.execute("CREATE TABLE survivors (name text PRIMARY KEY)");
        sql.execute("INSERT INTO survivors VALUES ('row written before the restart')");
      }
      try (Admin kafka = kafkaAdmin(servers)) {
        kafka.createTopics(List.of(new NewTopic("survivor-topic", 1, (short) 1))).all().get();
      }
      redisCommand(servers, "SET", "survivor", "kept");
      assertSearchAttributesRegistered(servers);
      temporal(
          servers,
          "workflow",
          "start",
          "--type",
          "Survivor",
          "--task-queue",
          "nobody-polls",
          "--workflow-id",
          "survivor-workflow");
    }

    try (DevServers servers = DevServers.start(settings)) {
      try (Connection db = connect(servers);
          Statement sql = db.createStatement();
          ResultSet rows = sql.executeQuery("SELECT name FROM survivors")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("row written before the restart");
      }
      try (Admin kafka = kafkaAdmin(servers)) {
        Set<String> topics = kafka.listTopics().names().get(10, TimeUnit.SECONDS);
        assertThat(topics).contains("survivor-topic");
      }
      assertThat(redisCommand(servers, "GET", "survivor")).contains("kept");
      assertThat(temporal(servers, "workflow", "describe", "--workflow-id", "survivor-workflow"))
          .contains("Survivor")
          .contains("nobody-polls");
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(servers.temporal().uiUrl())).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void secondLock_onSameHome_namesTheHolder() {
    try (HomeLock first = HomeLock.acquire(home)) {
      assertThatThrownBy(() -> HomeLock.acquire(home))
          .isInstanceOf(HomeLock.AlreadyRunningException.class)
          .hasMessageContaining("already running")
          .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
    }
    HomeLock.acquire(home).close();
  }

  private static Connection connect(DevServers servers) throws Exception {
    return DriverManager.getConnection(
        servers.postgres().jdbcUrl(), PostgresDevServer.OWNER, servers.postgres().ownerPassword());
  }

  private static Admin kafkaAdmin(DevServers servers) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafka().bootstrapServers()));
  }

  /** Runs the Temporal CLI against the dev server, in the payrail namespace; returns its output. */
  private static String temporal(DevServers servers, String... args) throws Exception {
    Path cli = TemporalDevServer.ensureCli(REPO_ROOT.resolve(".payrail").resolve("tools"));
    List<String> command = new java.util.ArrayList<>(List.of(cli.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--namespace", "payrail", "--address", servers.temporal().target()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static void assertSearchAttributesRegistered(DevServers servers) throws Exception {
    Path cli = TemporalDevServer.ensureCli(REPO_ROOT.resolve(".payrail").resolve("tools"));
    Process process =
        new ProcessBuilder(
                cli.toString(),
                "operator",
                "search-attribute",
                "list",
                "--namespace",
                "payrail",
                "--address",
                servers.temporal().target())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("MerchantId", "PaymentId", "PaymentStatus", "Amount", "Currency");
  }

  /** One RESP command over a plain socket: enough to show the data survived. */
  private static String redisCommand(DevServers servers, String... parts) throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", servers.redis().port())) {
      socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
      StringBuilder command = new StringBuilder("*" + parts.length + "\r\n");
      for (String part : parts) {
        command.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
      }
      socket.getOutputStream().write(command.toString().getBytes());
      byte[] buffer = new byte[256];
      int read = socket.getInputStream().read(buffer);
      return new String(buffer, 0, read);
    }
  }
}
