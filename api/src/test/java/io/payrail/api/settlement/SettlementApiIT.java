package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.SharedKeycloak;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.PayoutFileInput;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settlement terms admin API, the merchant's terms and payouts, the finance read API and the
 * payout-file approval, against the real servers and a real Keycloak. Runs, payouts and files are
 * inserted by SQL as the settlement workflows would write them; the approval goes to a
 * PayoutFileWorkflow fake that applies the maker-checker rule the contract states.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementApiIT {

  private static final String ADMIN_TOKEN = KeycloakDevServer.randomHex();
  private static final String ACCOUNT = "000123456789";
  private static final String IBAN = "DE89370400440532013000";

  /** Yesterday in UTC: a version from then is in force on every currency's business day now. */
  private static final LocalDate START = LocalDate.now(ZoneOffset.UTC).minusDays(1);

  private static final String QUEUE = "payout-file-test-" + UUID.randomUUID();

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedKeycloak.withDevServers().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;
  @Autowired CardVault vault;
  @Autowired WorkflowClient temporal;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerFactory workers;
  private String merchantA;
  private String merchantB;
  private String keyA;
  private String keyB;
  private String maker;
  private String makerSubject;
  private String checker;
  private String operator;

  @BeforeAll
  void merchantsStaffAndWorker() throws Exception {
    JsonNode a = createMerchant("settlement-a");
    JsonNode b = createMerchant("settlement-b");
    merchantA = a.path("id").asString();
    merchantB = b.path("id").asString();
    keyA = "Bearer " + a.path("api_key").path("secret").asString();
    keyB = "Bearer " + b.path("api_key").path("secret").asString();
    maker = staffToken("finance");
    makerSubject = SignedJWT.parse(maker.substring(7)).getJWTClaimsSet().getSubject();
    checker = staffToken("finance");
    operator = staffToken("operator");
    workers = WorkerFactory.newInstance(temporal);
    workers.newWorker(QUEUE).registerWorkflowImplementationTypes(FakePayoutFileWorkflow.class);
    workers.start();
  }

  @AfterAll
  void stopWorker() {
    workers.shutdownNow();
  }

  // --- terms ---

  @Test
  void terms_badInput_isA400NamingTheField() throws Exception {
    String merchant = createMerchant("settlement-refused").path("id").asString();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put(ach().replace("\"021000021\"", "\"021000022\""), "bank_account.routing_number");
    bad.put(ach().replace("\"" + ACCOUNT + "\"", "\"123\""), "bank_account.account_number");
    bad.put(
        ach().replace("\"" + ACCOUNT + "\"", "\"12345678901234567890\""),
        "bank_account.account_number");
    bad.put(sepa().replace(IBAN, "DE89370400440532013001"), "bank_account.iban");
    bad.put(sepa().replace("\"DEUTDEFF\"", "\"DEUTDE\""), "bank_account.bic");
    bad.put(ach().replace("\"USD\"", "\"EUR\""), "settlement_currency");
    bad.put(sepa().replace("\"EUR\"", "\"USD\""), "settlement_currency");
    bad.put(ach().replace("\"USD\"", "\"usd\""), "settlement_currency");
    bad.put(
        ach().replace("\"fee_basis_points\":290", "\"fee_basis_points\":10001"),
        "fee_basis_points");
    bad.put(ach().replace("\"fee_fixed\":30", "\"fee_fixed\":-1"), "fee_fixed");
    bad.put(
        ach().replace("\"payout_delay_days\":2", "\"payout_delay_days\":31"), "payout_delay_days");
    bad.put(
        ach().replace("\"reserve_hold_days\":90", "\"reserve_hold_days\":366"),
        "reserve_hold_days");
    bad.put(ach().replace("\"none\"", "\"all\""), "refund_fee_policy");
    bad.put(ach().replace("\"ach\"", "\"wire\""), "payout_rail");
    bad.put(
        ach().replace("\"effective_from\":\"" + START + "\"", "\"effective_from\":\"2020-02-30\""),
        "effective_from");
    bad.put(
        ach()
            .replace(
                "\"effective_from\":\"" + START + "\"",
                "\"effective_from\":\"" + START.plusYears(2) + "\""),
        "effective_from");
    bad.put(ach().replace("\"routing_number\":\"021000021\",", ""), "bank_account.routing_number");
    bad.put(
        ach().replace("\"routing_number\"", "\"bic\":\"DEUTDEFF\",\"routing_number\""),
        "bank_account.bic");
    bad.put(
        ach().replace("\"account_holder\":\"Acme Books LLC\"", "\"account_holder\":\" \""),
        "bank_account.account_holder");

    for (Map.Entry<String, String> entry : bad.entrySet()) {
      HttpResponse<String> answer =
          call(
              "POST",
              "/admin/v1/merchants/" + merchant + "/settlement_terms",
              admin(),
              entry.getKey());
      assertThat(answer.statusCode()).as(entry.getValue() + " " + answer.body()).isEqualTo(400);
      JsonNode error = json.readTree(answer.body()).path("error");
      assertThat(error.path("param").asString()).as(answer.body()).isEqualTo(entry.getValue());
      assertThat(answer.body()).doesNotContain(ACCOUNT).doesNotContain("0532013001");
    }
    assertThat(
            jdbc.sql("SELECT count(*) FROM settlement_terms WHERE merchant_id = ?")
                .param(merchant)
                .query(Long.class)
                .single())
        .as("nothing stored for refused requests")
        .isZero();
  }

  @Test
  void terms_areSealedShownMaskedAndAudited_andTheMerchantSeesOnlyItsOwn() throws Exception {
    String merchant = createMerchant("settlement-terms").path("id").asString();
    String merchantKey = "Bearer " + createKey(merchant);
    HttpResponse<String> first =
        call("POST", "/admin/v1/merchants/" + merchant + "/settlement_terms", admin(), ach());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String later =
        ach()
            .replace(
                "\"effective_from\":\"" + START + "\"",
                "\"effective_from\":\"" + START.plusDays(10) + "\"")
            .replace("\"fee_basis_points\":290", "\"fee_basis_points\":250");
    HttpResponse<String> second =
        call("POST", "/admin/v1/merchants/" + merchant + "/settlement_terms", admin(), later);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);

    JsonNode created = json.readTree(first.body());
    assertThat(created.path("bank_account").path("masked").asString()).isEqualTo("****6789");
    assertThat(created.path("bank_account").path("routing_number").asString())
        .isEqualTo("021000021");
    assertThat(created.path("in_force").asBoolean()).isTrue();
    assertThat(json.readTree(second.body()).path("in_force").asBoolean()).isFalse();

    HttpResponse<String> list =
        call("GET", "/admin/v1/merchants/" + merchant + "/settlement_terms", admin(), null);
    JsonNode versions = json.readTree(list.body());
    assertThat(versions.path("data").get(0).path("fee_basis_points").asInt()).isEqualTo(250);
    assertThat(versions.path("data").get(1).path("fee_basis_points").asInt()).isEqualTo(290);
    assertThat(versions.path("in_force").asString()).isEqualTo(created.path("id").asString());
    assertThat(list.body() + first.body() + second.body()).doesNotContain(ACCOUNT);

    String sealed =
        jdbc.sql("SELECT account_ciphertext FROM settlement_terms WHERE id = ?")
            .param(Long.parseLong(created.path("id").asString()))
            .query(String.class)
            .single();
    assertThat(sealed).startsWith("vault:v").doesNotContain(ACCOUNT);
    assertThat(vault.unsealBankAccount(merchant, sealed)).isEqualTo(ACCOUNT);

    List<String> audited =
        jdbc.sql(
                "SELECT changes::text FROM audit_log WHERE action = 'settlement_terms.created'"
                    + " AND target_id = ? AND actor_kind = 'bootstrap'")
            .param(created.path("id").asString())
            .query(String.class)
            .list();
    assertThat(audited).hasSize(1);
    assertThat(audited.getFirst())
        .contains("\"account\":\"****6789\"")
        .contains("\"fee_basis_points\":290")
        .doesNotContain(ACCOUNT);

    HttpResponse<String> own = call("GET", "/v1/settlement_terms", merchantKey, null);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(json.readTree(own.body()).path("id").asString())
        .isEqualTo(created.path("id").asString());
    assertThat(own.body()).doesNotContain(ACCOUNT).contains("****6789");
    String withoutTerms =
        createMerchant("settlement-no-terms").path("api_key").path("secret").asString();
    HttpResponse<String> none = call("GET", "/v1/settlement_terms", "Bearer " + withoutTerms, null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).doesNotContain(merchant);
    JsonNode others = json.readTree(call("GET", "/v1/settlement_terms", keyB, null).body());
    assertThat(others.path("merchant").asString()).isNotEqualTo(merchant);
    assertThat(others.path("id").asString()).isNotEqualTo(created.path("id").asString());
  }

  @Test
  void sepaTerms_keepTheBic_andShowTheIbansLastFour() throws Exception {
    String merchant = createMerchant("settlement-sepa").path("id").asString();
    HttpResponse<String> created =
        call(
            "POST",
            "/admin/v1/merchants/" + merchant + "/settlement_terms",
            admin(),
            sepa().replace(IBAN, "de89 3704 0044 0532 0130 00"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode account = json.readTree(created.body()).path("bank_account");
    assertThat(account.path("bic").asString()).isEqualTo("DEUTDEFF");
    assertThat(account.path("masked").asString()).isEqualTo("****3000");
    assertThat(account.has("routing_number")).isFalse();
    assertThat(created.body()).doesNotContain(IBAN);
  }

  @Test
  void terms_ofAnUnknownMerchant_is404() throws Exception {
    String unknown = "mer_" + "0".repeat(24);
    assertThat(
            call("POST", "/admin/v1/merchants/" + unknown + "/settlement_terms", admin(), ach())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            call("GET", "/admin/v1/merchants/" + unknown + "/settlement_terms", admin(), null)
                .statusCode())
        .isEqualTo(404);
  }

  // --- payouts, merchant side ---

  @Test
  void merchantPayouts_ownOnly_newestFirst_pagedByCursor() throws Exception {
    Fixture day = fixture(merchantA);
    String older = day.payout();
    String newer = insertPayout(merchantA, newRun("USD"), day.terms(), 900, "paid");

    JsonNode page1 = json.readTree(call("GET", "/v1/payouts?limit=1", keyA, null).body());
    assertThat(page1.path("data").get(0).path("id").asString()).isEqualTo(newer);
    assertThat(page1.path("data").get(0).path("arrival_date").isNumber()).isTrue();
    assertThat(page1.path("has_more").asBoolean()).isTrue();
    JsonNode page2 =
        json.readTree(
            call("GET", "/v1/payouts?limit=1&starting_after=" + newer, keyA, null).body());
    assertThat(page2.path("data").get(0).path("id").asString()).isEqualTo(older);

    HttpResponse<String> one = call("GET", "/v1/payouts/" + older, keyA, null);
    assertThat(one.statusCode()).isEqualTo(200);
    JsonNode payout = json.readTree(one.body());
    assertThat(payout.path("amount").asLong()).isEqualTo(12_500);
    assertThat(payout.path("currency").asString()).isEqualTo("usd");
    assertThat(payout.path("status").asString()).isEqualTo("pending");

    assertThat(call("GET", "/v1/payouts/" + older, keyB, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/payouts", keyB, null).body())
        .doesNotContain(older)
        .doesNotContain(newer);
    assertThat(
            json.readTree(call("GET", "/v1/payouts?limit=0", keyA, null).body())
                .path("error")
                .path("param")
                .asString())
        .isEqualTo("limit");
  }

  // --- finance ---

  @Test
  void finance_readsRunsTheirMerchantsPayoutsAndFiles() throws Exception {
    Fixture day = fixture(merchantA);
    String date = day.businessDate();

    JsonNode runs =
        json.readTree(
            call(
                    "GET",
                    "/staff/v1/settlement/runs?currency=USD&business_date=" + date,
                    checker,
                    null)
                .body());
    assertThat(runs.path("data").size()).isEqualTo(1);
    assertThat(runs.path("data").get(0).path("id").asString()).isEqualTo(day.runId());
    assertThat(runs.path("data").get(0).path("workflow_id").asString())
        .isEqualTo("settlement-USD-" + date + "-1");

    JsonNode run =
        json.readTree(
            call("GET", "/staff/v1/settlement/runs/" + day.runId(), checker, null).body());
    assertThat(run.path("totals").path("net").asLong()).isEqualTo(13_195 + 100);
    assertThat(run.path("totals").path("merchants").asLong()).isEqualTo(2);
    assertThat(run.path("merchants").path("data").size()).isEqualTo(2);
    JsonNode rowA =
        run.path("merchants").path("data").get(merchantA.compareTo(merchantB) < 0 ? 0 : 1);
    assertThat(rowA.path("merchant_id").asString()).isEqualTo(merchantA);
    assertThat(rowA.path("gross").asLong()).isEqualTo(15_000);
    assertThat(run.path("payout_files").get(0).path("id").asString()).isEqualTo(day.file());
    assertThat(run.path("payout_files").get(0).path("control").path("entry_hash").asString())
        .isEqualTo("0002100002");

    JsonNode firstMerchant =
        json.readTree(
            call("GET", "/staff/v1/settlement/runs/" + day.runId() + "?limit=1", checker, null)
                .body());
    assertThat(firstMerchant.path("merchants").path("has_more").asBoolean()).isTrue();

    JsonNode payouts =
        json.readTree(
            call("GET", "/staff/v1/settlement/payouts?run_id=" + day.runId(), checker, null)
                .body());
    assertThat(payouts.path("data").size()).isEqualTo(1);
    assertThat(payouts.path("data").get(0).path("merchant").asString()).isEqualTo(merchantA);
    assertThat(payouts.path("data").get(0).path("payout_file").asString()).isEqualTo(day.file());
    JsonNode byMerchant =
        json.readTree(
            call("GET", "/staff/v1/settlement/payouts?merchant_id=" + merchantB, checker, null)
                .body());
    assertThat(byMerchant.path("data").toString()).doesNotContain(day.payout());

    JsonNode file =
        json.readTree(
            call("GET", "/staff/v1/settlement/payout_files/" + day.file(), checker, null).body());
    assertThat(file.path("sha256").asString()).hasSize(64);
    assertThat(file.path("total_amount").asLong()).isEqualTo(12_500);
    assertThat(file.path("requested_by").asString()).isEqualTo(makerSubject);

    assertThat(call("GET", "/staff/v1/settlement/runs/" + day.runId(), operator, null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void finance_runsOfADay_rerunFirst_pagedByCursor() throws Exception {
    Fixture day = fixture(merchantA);
    long rerun =
        jdbc.sql(
                """
                INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                    window_start, window_end, status, supersedes_run_id, requested_by, reason)
                VALUES ('USD', ?::date, 2, ?, now() - interval '1 day', now(),
                        'awaiting_approval', ?, ?, 'terms corrected')
                RETURNING id
                """)
            .params(
                day.businessDate(),
                "settlement-USD-" + day.businessDate() + "-2",
                Long.parseLong(day.runId()),
                makerSubject)
            .query(Long.class)
            .single();
    String runs = "/staff/v1/settlement/runs?currency=USD&business_date=" + day.businessDate();

    JsonNode first = json.readTree(call("GET", runs + "&limit=1", checker, null).body());
    JsonNode second =
        json.readTree(call("GET", runs + "&limit=1&starting_after=" + rerun, checker, null).body());

    assertThat(first.path("has_more").asBoolean()).isTrue();
    JsonNode newest = first.path("data").get(0);
    assertThat(newest.path("id").asString()).isEqualTo(Long.toString(rerun));
    assertThat(newest.path("run_number").asInt()).isEqualTo(2);
    assertThat(newest.path("supersedes").asString()).isEqualTo(day.runId());
    assertThat(newest.path("reason").asString()).isEqualTo("terms corrected");
    assertThat(second.path("has_more").asBoolean()).isFalse();
    assertThat(second.path("data").get(0).path("id").asString()).isEqualTo(day.runId());
  }

  @Test
  void finance_badParameters_areA400NamingThem_andUnknownIdsA404() throws Exception {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("/staff/v1/settlement/runs?currency=usd", "currency");
    bad.put("/staff/v1/settlement/runs?business_date=2026-13-01", "business_date");
    bad.put("/staff/v1/settlement/runs?limit=0", "limit");
    bad.put("/staff/v1/settlement/runs?starting_after=x", "starting_after");
    bad.put("/staff/v1/settlement/runs?starting_after=999999999", "starting_after");
    bad.put("/staff/v1/settlement/runs/abc", "id");
    bad.put("/staff/v1/settlement/payouts?run_id=-1", "run_id");
    bad.put("/staff/v1/settlement/payouts?merchant_id=x", "merchant_id");
    bad.put("/staff/v1/settlement/payouts?starting_after=po_nope", "starting_after");
    for (Map.Entry<String, String> entry : bad.entrySet()) {
      HttpResponse<String> answer = call("GET", entry.getKey(), checker, null);
      assertThat(answer.statusCode()).as(entry.getKey() + " " + answer.body()).isEqualTo(400);
      assertThat(json.readTree(answer.body()).path("error").path("param").asString())
          .as(entry.getKey())
          .isEqualTo(entry.getValue());
    }
    assertThat(call("GET", "/staff/v1/settlement/runs/999999999", checker, null).statusCode())
        .isEqualTo(404);
    assertThat(
            call("GET", "/staff/v1/settlement/payout_files/pf_" + "0".repeat(24), checker, null)
                .statusCode())
        .isEqualTo(404);
  }

  // --- approval ---

  @Test
  void approval_byTheRunsRequester_is409_byAnotherFinanceUser_reachesTheWorkflow()
      throws Exception {
    Fixture day = fixture(merchantA);
    String workflowId = PayoutFileWorkflow.workflowId("USD", day.businessDate(), 1, "ach");
    PayoutFileWorkflow workflow =
        temporal.newWorkflowStub(
            PayoutFileWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build());
    WorkflowClient.start(
        workflow::run,
        new PayoutFileInput(
            Long.parseLong(day.runId()), "USD", day.businessDate(), 1, "ach", makerSubject));
    String path = "/staff/v1/settlement/payout_files/" + day.file() + "/approve";

    HttpResponse<String> byMaker = call("POST", path, maker, "{\"note\":\"my own run\"}");
    assertThat(byMaker.statusCode()).as(byMaker.body()).isEqualTo(409);
    JsonNode refused = json.readTree(byMaker.body()).path("error");
    assertThat(refused.path("code").asString()).isEqualTo("approval_refused");
    assertThat(refused.path("message").asString()).contains("requested the settlement run");

    HttpResponse<String> byChecker = call("POST", path, checker, "{\"note\":\"totals checked\"}");
    assertThat(byChecker.statusCode()).as(byChecker.body()).isEqualTo(200);
    assertThat(json.readTree(byChecker.body()).path("status").asString()).isEqualTo("approved");
    String checkerSubject = SignedJWT.parse(checker.substring(7)).getJWTClaimsSet().getSubject();
    assertThat(
            temporal
                .newUntypedWorkflowStub(workflowId)
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, String.class))
        .isEqualTo("approved by " + checkerSubject + ": totals checked");
  }

  @Test
  void approval_ofAFileNoWorkflowAwaits_is404() throws Exception {
    Fixture day = fixture(merchantA);

    HttpResponse<String> answer =
        call("POST", "/staff/v1/settlement/payout_files/" + day.file() + "/approve", checker, null);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
    assertThat(json.readTree(answer.body()).path("error").path("code").asString())
        .isEqualTo("payout_file_not_awaiting_approval");
  }

  /**
   * The contract of {@link PayoutFileWorkflow#approve}, as simply as it can be kept: refused for
   * the run's requester, refused when not awaiting approval; the run ends once approved.
   */
  public static class FakePayoutFileWorkflow implements PayoutFileWorkflow {
    private PayoutFileInput input;
    private Approval approved;

    @Override
    public String run(PayoutFileInput input) {
      this.input = input;
      Workflow.await(() -> approved != null);
      return "approved by " + approved.approver() + ": " + approved.note();
    }

    @Override
    public void validateApprove(Approval approval) {
      if (input == null || approved != null) {
        throw new IllegalStateException("the file is not awaiting approval");
      }
      if (approval.approver().equals(input.requestedBy())) {
        throw new IllegalArgumentException(
            "the user who requested the settlement run may not approve its payout file");
      }
    }

    @Override
    public String approve(Approval approval) {
      approved = approval;
      return "approved";
    }

    @Override
    public void voidFile(String reason) {}
  }

  @Test
  void aRerunAskedTwiceWithOneIdempotencyKey_startsOneRerun_andAnotherBodyIsRefused()
      throws Exception {
    Fixture day = fixture(merchantA);
    String key = UUID.randomUUID().toString();
    String body =
        """
        {"currency":"USD","business_date":"%s","reason":"fee corrected"}
        """
            .formatted(day.businessDate());

    HttpResponse<String> first = call("POST", "/staff/v1/settlement/reruns", maker, body, key);
    HttpResponse<String> again = call("POST", "/staff/v1/settlement/reruns", maker, body, key);
    HttpResponse<String> otherBody =
        call(
            "POST",
            "/staff/v1/settlement/reruns",
            maker,
            body.replace("fee corrected", "something else"),
            key);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(json.readTree(again.body())).isEqualTo(json.readTree(first.body()));
    assertThat(json.readTree(first.body()).path("workflow_id").asString())
        .isEqualTo("settlement-USD-" + day.businessDate() + "-2");
    assertThat(
            jdbc.sql("SELECT count(*) FROM settlement_runs WHERE business_date = ?::date")
                .param(day.businessDate())
                .query(Long.class)
                .single())
        .as("run 1 and one rerun")
        .isEqualTo(2);
    assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(400);
    assertThat(json.readTree(otherBody.body()).path("error").path("code").asString())
        .isEqualTo("idempotency_key_reused");
    temporal
        .newUntypedWorkflowStub("settlement-USD-" + day.businessDate() + "-2")
        .terminate("test over: no settlement worker here");
  }

  // --- fixtures ---

  /** A run of merchant A (and B) on a business date no other test uses. */
  private record Fixture(
      String runId, String businessDate, String terms, String payout, String file) {}

  private Fixture fixture(String merchant) {
    String terms = insertTerms(merchant);
    String termsB = insertTerms(merchantB);
    String date = uniqueDate();
    long run =
        jdbc.sql(
                """
                INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                    window_start, window_end, status, requested_by)
                VALUES ('USD', ?::date, 1, ?, now() - interval '1 day', now(), 'posted', ?)
                RETURNING id
                """)
            .params(date, "settlement-USD-" + date + "-1", makerSubject)
            .query(Long.class)
            .single();
    insertSettlement(run, merchant, terms, 15_000, 1_000, 805, 13_195);
    insertSettlement(run, merchantB, termsB, 100, 0, 0, 100);
    String file = "pf_" + random24();
    jdbc.sql(
            """
            INSERT INTO payout_files (id, run_id, rail, currency, format, file_name, sha256,
                entry_count, total_amount, control, status)
            VALUES (?, ?, 'ach', 'USD', 'nacha', ?, ?, 1, 12500,
                    '{"entry_hash":"0002100002","batch_count":1}'::jsonb, 'validated')
            """)
        .params(file, run, file + ".ach", "ab".repeat(32))
        .update();
    String payout = insertPayout(merchant, run, terms, 12_500, "pending");
    jdbc.sql("UPDATE payouts SET payout_file_id = ? WHERE id = ?").params(file, payout).update();
    return new Fixture(Long.toString(run), date, terms, payout, file);
  }

  private void insertSettlement(
      long run, String merchant, String terms, long gross, long refunds, long fees, long net) {
    jdbc.sql(
            """
            INSERT INTO merchant_settlements (run_id, merchant_id, terms_id, capture_count,
                refund_count, gross, refunds, fees, reserve_held, reserve_released, net)
            VALUES (?, ?, ?, 3, 1, ?, ?, ?, 0, 0, ?)
            """)
        .params(run, merchant, Long.parseLong(terms), gross, refunds, fees, net)
        .update();
  }

  private long newRun(String currency) {
    String date = uniqueDate();
    return jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                window_start, window_end, status, requested_by)
            VALUES (?, ?::date, 1, ?, now() - interval '1 day', now(), 'posted', 'schedule')
            RETURNING id
            """)
        .params(currency, date, "settlement-" + currency + "-" + date + "-1")
        .query(Long.class)
        .single();
  }

  private String insertPayout(String merchant, long run, String terms, long amount, String status) {
    String id = "po_" + random24();
    jdbc.sql(
            """
            INSERT INTO payouts (id, merchant_id, run_id, terms_id, currency, amount, rail, status)
            VALUES (?, ?, ?, ?, 'USD', ?, 'ach', ?)
            """)
        .params(id, merchant, run, Long.parseLong(terms), amount, status)
        .update();
    return id;
  }

  /** A terms row as the admin API writes it, with a sealed account. */
  private String insertTerms(String merchant) {
    return jdbc.sql(
            """
            INSERT INTO settlement_terms (merchant_id, effective_from, settlement_currency,
                fee_basis_points, fee_fixed, refund_fee_policy, payout_delay_days, minimum_payout,
                reserve_basis_points, reserve_hold_days, payout_rail, account_holder,
                routing_number, account_ciphertext, account_last4, created_by)
            VALUES (?, current_date - 30, 'USD', 290, 30, 'none', 2, 1000, 0, 0, 'ach', 'Acme',
                    '021000021', ?, '6789', 'test')
            RETURNING id::text
            """)
        .params(merchant, vault.sealBankAccount(merchant, ACCOUNT))
        .query(String.class)
        .single();
  }

  /** A business date no other run of this database uses: runs are unique per currency and day. */
  private static String uniqueDate() {
    return LocalDate.of(2000, 1, 1)
        .plusDays(ThreadLocalRandom.current().nextInt(0, 9000 * 4))
        .toString();
  }

  private static String random24() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  private String ach() {
    return """
        {"effective_from":"%s","settlement_currency":"USD","fee_basis_points":290,"fee_fixed":30,
         "refund_fee_policy":"none","payout_delay_days":2,"minimum_payout":1000,
         "reserve_basis_points":500,"reserve_hold_days":90,"payout_rail":"ach",
         "bank_account":{"account_holder":"Acme Books LLC","routing_number":"021000021",
                         "account_number":"%s"}}
        """
        .formatted(START, ACCOUNT);
  }

  private String sepa() {
    return """
        {"effective_from":"%s","settlement_currency":"EUR","fee_basis_points":140,"fee_fixed":25,
         "refund_fee_policy":"percentage","payout_delay_days":1,"minimum_payout":0,
         "reserve_basis_points":0,"reserve_hold_days":0,"payout_rail":"sepa",
         "bank_account":{"account_holder":"Acme GmbH","iban":"%s","bic":"DEUTDEFF"}}
        """
        .formatted(START, IBAN);
  }

  private String admin() {
    return "Bearer " + ADMIN_TOKEN;
  }

  private String staffToken(String role) {
    KeycloakDevServer keycloak = SharedKeycloak.get();
    String user = role + "-" + KeycloakDevServer.randomHex().substring(0, 8);
    String password = KeycloakDevServer.randomHex();
    keycloak.createUser(user, password, role);
    return "Bearer " + keycloak.accessToken(KeycloakDevServer.CLI_CLIENT, user, password);
  }

  private JsonNode createMerchant(String name) throws Exception {
    HttpResponse<String> created =
        call("POST", "/admin/v1/merchants", admin(), "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body());
  }

  private String createKey(String merchant) throws Exception {
    HttpResponse<String> created =
        call("POST", "/admin/v1/merchants/" + merchant + "/api_keys", admin(), null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body()).path("secret").asString();
  }

  private HttpResponse<String> call(String method, String path, String credential, String body)
      throws Exception {
    return call(method, path, credential, body, UUID.randomUUID().toString());
  }

  private HttpResponse<String> call(
      String method, String path, String credential, String body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Idempotency-Key", idempotencyKey);
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
