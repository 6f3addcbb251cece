package io.payrail.api.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.SharedKeycloak;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Finance works through reconciliation breaks: lists them filtered and paged, resolves one with a
 * note (one audit record, by the finance user), cannot resolve it twice, and gets a 400 naming the
 * field for bad input. Against the real dev servers and Keycloak; no worker runs, so started
 * reconciliations wait in Temporal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationApiIT {

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedKeycloak.withDevServers().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
    // No worker runs here: the payment the items name answers 202 ("processing") after this.
    registry.add("payrail.payments.authorization-wait", () -> "1s");
  }

  private static final String ADMIN_TOKEN = KeycloakDevServer.randomHex();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String finance;
  private String financeUser;
  private String operator;
  private String merchant;
  private String payment;

  @BeforeAll
  void staffAndAPayment() throws Exception {
    KeycloakDevServer keycloak = SharedKeycloak.get();
    financeUser = "finance-" + KeycloakDevServer.randomHex().substring(0, 8);
    finance = token(keycloak, financeUser, "finance");
    operator =
        token(keycloak, "operator-" + KeycloakDevServer.randomHex().substring(0, 8), "operator");
    // A real payment (its card sealed by the vault), which the settlement items name.
    JsonNode created =
        json.readTree(
            send("POST", "/admin/v1/merchants", "Bearer " + ADMIN_TOKEN, "{\"name\":\"recon\"}")
                .body());
    merchant = created.path("id").asString();
    HttpResponse<String> paid =
        send(
            "POST",
            "/v1/payments",
            "Bearer " + created.path("api_key").path("secret").asString(),
            "{\"amount\":1000,\"currency\":\"usd\",\"card\":{\"number\":\"4242424242424242\","
                + "\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}");
    assertThat(paid.statusCode()).as(paid.body()).isIn(200, 202);
    payment = json.readTree(paid.body()).path("id").asString();
  }

  /** The next of 676 X.. codes this JVM hands out: distinct for every test of the run. */
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_CURRENCY =
      new java.util.concurrent.atomic.AtomicInteger(
          java.util.concurrent.ThreadLocalRandom.current().nextInt(676));

  /**
   * A currency of the test's own, so that no other test's breaks show in its lists (two random
   * letters from a UUID's a-f collided between tests of this class once in CI).
   */
  private static String freshCurrency() {
    int n = Math.floorMod(NEXT_CURRENCY.getAndIncrement(), 676);
    return "X" + (char) ('A' + n / 26) + (char) ('A' + n % 26);
  }

  @Test
  void breaks_filteredByStatusKindCurrencyAndAge_inCursorPages() throws Exception {
    String currency = freshCurrency();
    String report = insertReport(currency, "2026-10-01");
    String old = insertBreak(report, "missing", 10);
    String mismatch = insertBreak(report, "amount_mismatch", 1);
    String recent = insertBreak(report, "unexpected", 0);

    JsonNode all = get("/staff/v1/reconciliation/breaks?currency=" + currency, finance);
    JsonNode aged =
        get("/staff/v1/reconciliation/breaks?currency=" + currency + "&min_age_days=5", finance);
    JsonNode mismatches =
        get(
            "/staff/v1/reconciliation/breaks?currency=" + currency + "&kind=amount_mismatch",
            finance);
    JsonNode firstPage =
        get("/staff/v1/reconciliation/breaks?currency=" + currency + "&limit=2", finance);
    JsonNode secondPage =
        get(
            "/staff/v1/reconciliation/breaks?currency="
                + currency
                + "&limit=2&starting_after="
                + ids(firstPage).getLast(),
            finance);

    assertThat(ids(all)).containsExactly(recent, mismatch, old);
    assertThat(ids(aged)).containsExactly(old);
    assertThat(aged.path("data").get(0).path("age_days").asInt()).isEqualTo(10);
    assertThat(aged.path("data").get(0).path("expected_amount").asLong()).isEqualTo(1000);
    assertThat(aged.path("data").get(0).path("reported_amount").isNull()).isTrue();
    assertThat(ids(mismatches)).containsExactly(mismatch);
    assertThat(firstPage.path("has_more").asBoolean()).isTrue();
    assertThat(ids(firstPage)).containsExactly(recent, mismatch);
    assertThat(secondPage.path("has_more").asBoolean()).isFalse();
    assertThat(ids(secondPage)).containsExactly(old);
    assertThat(ids(get("/staff/v1/reconciliation/reports?currency=" + currency, finance)))
        .containsExactly(report);
  }

  @Test
  void resolve_isAuditedOnceByTheFinanceUser_andASecondResolveIsA409() throws Exception {
    String currency = freshCurrency();
    String report = insertReport(currency, "2026-10-02");
    String id = insertBreak(report, "unexpected", 4);

    HttpResponse<String> resolved =
        send(
            "POST",
            "/staff/v1/reconciliation/breaks/" + id + "/resolve",
            finance,
            "{\"note\":\"  test capture of the bank's, not ours  \"}");
    HttpResponse<String> again =
        send(
            "POST",
            "/staff/v1/reconciliation/breaks/" + id + "/resolve",
            finance,
            "{\"note\":\"second opinion\"}");

    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    JsonNode body = json.readTree(resolved.body());
    assertThat(body.path("status").asString()).isEqualTo("resolved");
    assertThat(body.path("resolution_note").asString())
        .isEqualTo("test capture of the bank's, not ours");
    assertThat(body.path("resolved_by").asString()).isEqualTo(financeUser);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json.readTree(again.body()).path("error").path("code").asString())
        .isEqualTo("break_already_resolved");
    assertThat(
            jdbc.sql("SELECT resolution_note FROM reconciliation_breaks WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .isEqualTo("test capture of the bank's, not ours");
    List<Map<String, Object>> records =
        jdbc.sql(
                """
                SELECT actor_kind, actor_name, actor_role, changes FROM audit_log
                WHERE action = 'reconciliation_break.resolved' AND target_id = ?
                """)
            .param(id)
            .query()
            .listOfRows();
    assertThat(records).hasSize(1);
    assertThat(records.getFirst())
        .containsEntry("actor_kind", "staff")
        .containsEntry("actor_name", financeUser)
        .containsEntry("actor_role", "finance");
    assertThat(records.getFirst().get("changes").toString())
        .contains("\"resolution_note\":\"test capture of the bank's, not ours\"")
        .contains("\"before\":{\"status\":\"open\"}");
  }

  @Test
  void operators_mayNotReadOrResolveBreaks() throws Exception {
    String currency = freshCurrency();
    String id = insertBreak(insertReport(currency, "2026-10-03"), "missing", 0);

    assertThat(send("GET", "/staff/v1/reconciliation/breaks", operator, null).statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    "POST",
                    "/staff/v1/reconciliation/breaks/" + id + "/resolve",
                    operator,
                    "{\"note\":\"x\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            jdbc.sql("SELECT status FROM reconciliation_breaks WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .isEqualTo("open");
  }

  @Test
  void start_onceADay_secondStartWhileRunningStartsNothing() throws Exception {
    String currency = freshCurrency();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    String body =
        "{\"currency\":\"" + currency.toLowerCase() + "\",\"date\":\"" + yesterday + "\"}";

    HttpResponse<String> first = send("POST", "/staff/v1/reconciliation/reports", finance, body);
    HttpResponse<String> second = send("POST", "/staff/v1/reconciliation/reports", finance, body);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    JsonNode started = json.readTree(first.body());
    assertThat(started.path("workflow_id").asString())
        .isEqualTo("reconciliation-" + currency + "-" + yesterday);
    assertThat(started.path("started").asBoolean()).isTrue();
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(json.readTree(second.body()).path("started").asBoolean()).isFalse();
  }

  @Test
  void badInput_is400NamingTheField_andNothingChanges() throws Exception {
    String currency = freshCurrency();
    String id = insertBreak(insertReport(currency, "2026-10-04"), "missing", 0);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Map<String, String[]> bad = new LinkedHashMap<>();
    bad.put(
        "currency",
        new String[] {"POST", "/staff/v1/reconciliation/reports", "{\"date\":\"2026-10-01\"}"});
    bad.put(
        "date",
        new String[] {
          "POST",
          "/staff/v1/reconciliation/reports",
          "{\"currency\":\"USD\",\"date\":\"" + today + "\"}"
        });
    bad.put(
        "date ",
        new String[] {
          "POST",
          "/staff/v1/reconciliation/reports",
          "{\"currency\":\"USD\",\"date\":\"2026-02-30\"}"
        });
    bad.put(
        "currency ",
        new String[] {
          "POST",
          "/staff/v1/reconciliation/reports",
          "{\"currency\":\"US\",\"date\":\"2026-10-01\"}"
        });
    bad.put("limit", new String[] {"GET", "/staff/v1/reconciliation/breaks?limit=0", null});
    bad.put("status", new String[] {"GET", "/staff/v1/reconciliation/breaks?status=closed", null});
    bad.put("kind", new String[] {"GET", "/staff/v1/reconciliation/breaks?kind=late", null});
    bad.put(
        "min_age_days",
        new String[] {"GET", "/staff/v1/reconciliation/breaks?min_age_days=-1", null});
    bad.put("report", new String[] {"GET", "/staff/v1/reconciliation/breaks?report=x%27--", null});
    bad.put(
        "starting_after",
        new String[] {"GET", "/staff/v1/reconciliation/reports?starting_after=rb_1", null});
    bad.put(
        "note",
        new String[] {
          "POST", "/staff/v1/reconciliation/breaks/" + id + "/resolve", "{\"note\":\"   \"}"
        });

    for (Map.Entry<String, String[]> entry : bad.entrySet()) {
      String[] call = entry.getValue();
      HttpResponse<String> answer = send(call[0], call[1], finance, call[2]);
      assertThat(answer.statusCode())
          .as(call[1] + " " + call[2] + " -> " + answer.body())
          .isEqualTo(400);
      assertThat(json.readTree(answer.body()).path("error").path("param").asString())
          .as(call[1])
          .isEqualTo(entry.getKey().strip());
    }
    HttpResponse<String> unknown =
        send(
            "POST",
            "/staff/v1/reconciliation/breaks/rb_" + "0".repeat(24) + "/resolve",
            finance,
            "{\"note\":\"x\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(
            jdbc.sql("SELECT status FROM reconciliation_breaks WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .isEqualTo("open");
  }

  // --- fixtures ---

  private String insertReport(String currency, String date) {
    String id = "sr_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO settlement_reports (id, currency, report_date, sha256, line_count,
                total_gross, total_fee, total_net, status, matched_count, break_count,
                workflow_id, reconciled_at)
            VALUES (?, ?, ?::date, ?, 3, 3000, 45, 2955, 'reconciled', 0, 3, ?, now())
            """)
        .params(
            id,
            currency,
            date,
            alphanumeric(32) + alphanumeric(32),
            "reconciliation-" + currency + "-" + date)
        .update();
    return id;
  }

  /** A break opened {@code daysAgo} days ago, of a kind's shape. */
  private String insertBreak(String reportId, String kind, int daysAgo) {
    String id = "rb_" + alphanumeric(24);
    Long expected = kind.equals("unexpected") ? null : 1000L;
    Long reported = kind.equals("missing") ? null : kind.equals("amount_mismatch") ? 1100L : 1000L;
    jdbc.sql(
            """
            INSERT INTO reconciliation_breaks (id, report_id, kind, reference, currency,
                expected_amount, reported_amount, status, opened_at, item_id)
            VALUES (?, ?, ?, ?, (SELECT currency FROM settlement_reports WHERE id = ?), ?, ?,
                    'open', now() - make_interval(days => ?) - interval '1 minute', ?)
            """)
        .params(
            id,
            reportId,
            kind,
            id + ":capture",
            reportId,
            expected,
            reported,
            daysAgo,
            kind.equals("missing") ? item(reportId) : null)
        .update();
    return id;
  }

  /** A settlement item of the test's payment, for the missing breaks, which need one. */
  private String item(String reportId) {
    String id = "it_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO settlement_items (id, kind, merchant_id, payment_id, currency, amount,
                                          bank_reference, occurred_at)
            VALUES (?, 'capture', ?, ?, (SELECT currency FROM settlement_reports WHERE id = ?),
                    1000, ?, now())
            """)
        .params(id, merchant, payment, reportId, id + ":capture")
        .update();
    return id;
  }

  private static String token(KeycloakDevServer keycloak, String user, String role) {
    String password = KeycloakDevServer.randomHex();
    keycloak.createUser(user, password, role);
    return "Bearer " + keycloak.accessToken(KeycloakDevServer.CLI_CLIENT, user, password);
  }

  private static String alphanumeric(int length) {
    String hex = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    return hex.substring(0, length);
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(item -> ids.add(item.path("id").asString()));
    return ids;
  }

  private JsonNode get(String path, String credential) throws Exception {
    HttpResponse<String> response = send("GET", path, credential, null);
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private HttpResponse<String> send(String method, String path, String credential, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
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
