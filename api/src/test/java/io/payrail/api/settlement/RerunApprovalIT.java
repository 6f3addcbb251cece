package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.SharedKeycloak;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
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
 * A finance rerun end to end through the API, with real Keycloak tokens for two finance users, the
 * real settlement workflows and activities on the Temporal dev server, and the database: the
 * README's finance walk-through (ask, read the diff, approve as the other user, see the adjusted
 * payout), its refusals, and a stale rerun rejected and asked for again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class RerunApprovalIT {

  private static final String ADMIN_TOKEN = KeycloakDevServer.randomHex();
  private static final String API = "/staff/v1/settlement";

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
  private Staff maker;
  private Staff checker;
  private String operator;

  record Staff(String token, String subject, String name) {}

  @BeforeAll
  void staffAndWorker() throws Exception {
    world =
        new SettlementWorld(
            database, temporal, vault, Files.createTempDirectory("rerun-approval-outbox"));
    maker = staff("finance");
    checker = staff("finance");
    operator = staff("operator").token();
  }

  @AfterAll
  void stopWorker() {
    world.close();
  }

  @Test
  void aRerunAskedByOne_isApprovedByAnother_andItsAdjustedPayoutIsTheMerchantsNext()
      throws Exception {
    Merchant merchant = merchant("rerun-walkthrough");
    LocalDate day = world.newDay();
    world.terms(merchant.id(), day.minusDays(30), 100);
    world.capture(merchant.id(), 100_000, day);
    long run1 = world.settle(day);
    assertThat(payouts(merchant))
        .extracting(this::amountAndStatus)
        .containsExactly("99000 pending");
    // the fee was wrong: a corrected terms version, effective that day
    world.terms(merchant.id(), day, 300);

    HttpResponse<String> asked = askRerun(maker, day, "fee corrected to 3%");
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    String run2 = json.readTree(asked.body()).path("id").asString();
    assertThat(json.readTree(asked.body()).path("supersedes").asString())
        .isEqualTo(Long.toString(run1));
    awaitStatus(run2, "awaiting_approval");

    JsonNode diff =
        json.readTree(call("GET", API + "/runs/" + run2 + "/diff", maker.token(), null).body());
    JsonNode mine = merchantDiff(diff, merchant.id());
    assertThat(mine.path("fees").path("before").asLong()).isEqualTo(1_000);
    assertThat(mine.path("fees").path("after").asLong()).isEqualTo(3_000);
    assertThat(mine.path("net").path("change").asLong()).isEqualTo(-2_000);
    assertThat(mine.path("payout").path("before").asLong()).isEqualTo(99_000);
    assertThat(mine.path("payout").path("after").asLong()).isEqualTo(97_000);

    // maker-checker: the requester's own approval is refused, and says why
    HttpResponse<String> own = decide(maker, run2, "approve", "my own rerun");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(409);
    assertThat(error(own).path("code").asString()).isEqualTo("decision_refused");
    assertThat(error(own).path("message").asString()).contains("requested the rerun");
    // staff without the finance role, and merchants, get nothing
    for (String path :
        List.of(API + "/runs/" + run2 + "/diff", API + "/runs/" + run2 + "/approve")) {
      String method = path.endsWith("diff") ? "GET" : "POST";
      assertThat(call(method, path, operator, null).statusCode()).as(path).isEqualTo(403);
      assertThat(call(method, path, merchant.key(), null).statusCode()).as(path).isIn(403, 404);
    }
    assertThat(askRerun(new Staff(operator, "", ""), day, "operator").statusCode()).isEqualTo(403);
    assertThat(world.status(Long.parseLong(run2))).isEqualTo("awaiting_approval");

    HttpResponse<String> approved = decide(checker, run2, "approve", "fees checked");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(json.readTree(approved.body()).path("status").asString()).isEqualTo("approved");
    assertThat(json.readTree(approved.body()).path("decided_by").asString())
        .isEqualTo(checker.name());
    assertThat(world.result(DailySettlementWorkflow.workflowId("USD", day.toString(), 2)))
        .isEqualTo("posted");

    // run 2 is the day's effective run; run 1 superseded
    JsonNode runs =
        json.readTree(
            call("GET", API + "/runs?currency=USD&business_date=" + day, maker.token(), null)
                .body());
    assertThat(
            runs.path("data")
                .valueStream()
                .map(r -> r.path("run_number").asInt() + " " + r.path("status").asString())
                .toList())
        .containsExactly("2 posted", "1 superseded");
    // the unsent payout of run 1 voided; the merchant's next payout is run 2's, adjusted
    JsonNode staffPayouts =
        json.readTree(
            call("GET", API + "/payouts?merchant_id=" + merchant.id(), maker.token(), null).body());
    assertThat(
            staffPayouts
                .path("data")
                .valueStream()
                .map(p -> p.path("run").asString() + " " + amountAndStatus(p))
                .toList())
        .containsExactly(run2 + " 97000 pending", run1 + " 99000 voided");
    assertThat(payouts(merchant))
        .extracting(this::amountAndStatus)
        .containsExactly("97000 pending", "99000 voided");
    // every step audited, with the right actor
    assertThat(world.audit("settlement_run", run2))
        .containsExactly(
            "staff " + maker.subject() + " settlement_rerun.requested",
            "staff " + checker.subject() + " settlement_rerun.approved");
  }

  @Test
  void aStaleRerun_cannotBeApproved_isRejectedThroughTheApi_andANewRerunOfTheDayIsApproved()
      throws Exception {
    Merchant merchant = merchant("rerun-stale");
    LocalDate day = world.newDay();
    world.terms(merchant.id(), day.minusDays(30), 100);
    world.capture(merchant.id(), 40_000, day);
    long run1 = world.settle(day);
    world.terms(merchant.id(), day, 200);
    HttpResponse<String> asked = askRerun(maker, day, "fee corrected to 2%");
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    String run2 = json.readTree(asked.body()).path("id").asString();
    awaitStatus(run2, "awaiting_approval");
    // committed late, inside the day's window, after the rerun was computed
    world.capture(merchant.id(), 5_000, day);

    HttpResponse<String> stale = decide(checker, run2, "approve", "looks right");
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
    assertThat(error(stale).path("code").asString()).isEqualTo("rerun_stale");
    assertThat(error(stale).path("message").asString()).contains("reject it");
    assertThat(world.status(Long.parseLong(run2))).isEqualTo("awaiting_approval");
    assertThat(world.status(run1)).isEqualTo("posted");

    HttpResponse<String> rejected = decide(checker, run2, "reject", "stale: a late capture");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    assertThat(json.readTree(rejected.body()).path("status").asString()).isEqualTo("rejected");
    assertThat(world.result(DailySettlementWorkflow.workflowId("USD", day.toString(), 2)))
        .isEqualTo("rejected");
    assertThat(world.status(Long.parseLong(run2))).isEqualTo("rejected");
    assertThat(world.audit("settlement_run", run2))
        .containsExactly(
            "staff " + maker.subject() + " settlement_rerun.requested",
            "staff " + checker.subject() + " settlement_rerun.rejected");

    HttpResponse<String> again = askRerun(maker, day, "fee corrected to 2%, with the late capture");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    JsonNode run3 = json.readTree(again.body());
    assertThat(run3.path("run_number").asInt()).isEqualTo(3);
    assertThat(run3.path("supersedes").asString()).isEqualTo(Long.toString(run1));
    awaitStatus(run3.path("id").asString(), "awaiting_approval");
    JsonNode mine =
        merchantDiff(
            json.readTree(
                call(
                        "GET",
                        API + "/runs/" + run3.path("id").asString() + "/diff",
                        maker.token(),
                        null)
                    .body()),
            merchant.id());
    assertThat(mine.path("gross").path("after").asLong()).isEqualTo(45_000);
    HttpResponse<String> approved = decide(checker, run3.path("id").asString(), "approve", "ok");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(world.result(DailySettlementWorkflow.workflowId("USD", day.toString(), 3)))
        .isEqualTo("posted");
    assertThat(world.status(run1)).isEqualTo("superseded");
    assertThat(
            world
                .jdbc
                .sql("SELECT run_id FROM settlement_run_items WHERE merchant_id = ?")
                .param(merchant.id())
                .query(Long.class)
                .list())
        .as("both captures settled by run 3 (the window passed to it), once")
        .containsExactly(
            Long.parseLong(run3.path("id").asString()), Long.parseLong(run3.path("id").asString()));
  }

  @Test
  void decisionsOnARunNoWorkflowRuns_areA404_forBothEndpoints() throws Exception {
    Merchant merchant = merchant("rerun-404");
    LocalDate day = world.newDay();
    world.terms(merchant.id(), day.minusDays(30), 100);
    world.capture(merchant.id(), 10_000, day);
    world.settle(day);
    world.terms(merchant.id(), day, 200);
    HttpResponse<String> asked = askRerun(maker, day, "to be terminated");
    String run2 = json.readTree(asked.body()).path("id").asString();
    awaitStatus(run2, "awaiting_approval");
    SettlementWorld.await(
        "run 1's payout file awaiting approval",
        () -> "validated".equals(world.fileStatus(day, 1)));
    String file =
        world
            .jdbc
            .sql("SELECT f.id FROM payout_files f WHERE f.run_id = ?")
            .param(world.runId(day, 1))
            .query(String.class)
            .single();
    temporal
        .newUntypedWorkflowStub(DailySettlementWorkflow.workflowId("USD", day.toString(), 2))
        .terminate("test: the rerun's workflow is gone");
    temporal
        .newUntypedWorkflowStub(
            io.payrail.workflows.settlement.PayoutFileWorkflow.workflowId(
                "USD", day.toString(), 1, "ach"))
        .terminate("test: the file's workflow is gone");

    HttpResponse<String> approve = decide(checker, run2, "approve", "late");
    HttpResponse<String> fileApproval =
        call("POST", API + "/payout_files/" + file + "/approve", checker.token(), null);

    assertThat(approve.statusCode()).as(approve.body()).isEqualTo(404);
    assertThat(error(approve).path("code").asString())
        .isEqualTo("settlement_run_not_awaiting_approval");
    assertThat(fileApproval.statusCode()).as(fileApproval.body()).isEqualTo(404);
    assertThat(error(fileApproval).path("code").asString())
        .isEqualTo("payout_file_not_awaiting_approval");
  }

  // --- helpers ---

  record Merchant(String id, String key) {}

  private Merchant merchant(String name) throws Exception {
    HttpResponse<String> created =
        call("POST", "/admin/v1/merchants", "Bearer " + ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = json.readTree(created.body());
    return new Merchant(
        body.path("id").asString(), "Bearer " + body.path("api_key").path("secret").asString());
  }

  private HttpResponse<String> askRerun(Staff who, LocalDate day, String reason) throws Exception {
    return call(
        "POST",
        API + "/reruns",
        who.token(),
        "{\"currency\":\"USD\",\"business_date\":\"" + day + "\",\"reason\":\"" + reason + "\"}");
  }

  private HttpResponse<String> decide(Staff who, String run, String decision, String note)
      throws Exception {
    return call(
        "POST", API + "/runs/" + run + "/" + decision, who.token(), "{\"note\":\"" + note + "\"}");
  }

  private void awaitStatus(String run, String status) throws InterruptedException {
    SettlementWorld.await(
        "run " + run + " " + status, () -> status.equals(world.status(Long.parseLong(run))));
  }

  private List<JsonNode> payouts(Merchant merchant) throws Exception {
    HttpResponse<String> answer = call("GET", "/v1/payouts", merchant.key(), null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return json.readTree(answer.body()).path("data").valueStream().toList();
  }

  private String amountAndStatus(JsonNode payout) {
    return payout.path("amount").asLong() + " " + payout.path("status").asString();
  }

  private static JsonNode merchantDiff(JsonNode diff, String merchant) {
    return diff.path("merchants")
        .path("data")
        .valueStream()
        .filter(m -> m.path("merchant_id").asString().equals(merchant))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no diff of " + merchant + " in " + diff));
  }

  private JsonNode error(HttpResponse<String> answer) {
    return json.readTree(answer.body()).path("error");
  }

  private Staff staff(String role) throws Exception {
    KeycloakDevServer keycloak = SharedKeycloak.get();
    String user = role + "-" + KeycloakDevServer.randomHex().substring(0, 8);
    String password = KeycloakDevServer.randomHex();
    keycloak.createUser(user, password, role);
    String token = "Bearer " + keycloak.accessToken(KeycloakDevServer.CLI_CLIENT, user, password);
    return new Staff(
        token, SignedJWT.parse(token.substring(7)).getJWTClaimsSet().getSubject(), user);
  }

  private HttpResponse<String> call(String method, String path, String credential, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Idempotency-Key", UUID.randomUUID().toString());
    if (credential != null) {
      request.header("Authorization", credential);
    }
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
