package io.payrail.banksim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The bank's daily settlement report: what it really settled, and each fault it can add. */
class SettlementReportTest {

  private static final String VISA = "4242424242424242";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private BankSimulator bank;

  private static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");

  @BeforeEach
  void start() {
    bank = BankSimulator.start(0, Faults.NONE, Clock.fixed(NOON, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void report_listsEachCaptureAndRefundSettledToday_byItsRequestId_withFeeAndNet()
      throws Exception {
    String auth = authorize("a-1", 10_000, "USD");
    post(
        "/v1/authorizations/" + auth + "/capture",
        "{\"request_id\":\"p1:capture\",\"amount\":9000}");
    post(
        "/v1/authorizations/" + auth + "/refunds", "{\"request_id\":\"r1:refund\",\"amount\":400}");
    String euro = authorize("a-2", 700, "EUR");
    post(
        "/v1/authorizations/" + euro + "/capture",
        "{\"request_id\":\"p2:capture\",\"amount\":700}");
    // A declined capture (more than authorized) settles nothing.
    post(
        "/v1/authorizations/" + euro + "/refunds",
        "{\"request_id\":\"r2:refund\",\"amount\":9999}");

    List<String> lines = report(today(), "USD");

    String batch = "B" + today().toString().replace("-", "") + "USD";
    assertThat(lines)
        .containsExactly(
            SettlementReports.HEADER,
            // 1.50 % of 9000 = 135, + 10 fixed
            "p1:capture,capture,USD,9000,145,8855," + batch + "," + today(),
            "r1:refund,refund,USD,400,0,-400," + batch + "," + today());
    assertThat(report(today(), "EUR")).hasSize(2).last().asString().startsWith("p2:capture,");
    assertThat(report(today().minusDays(1), "USD")).containsExactly(SettlementReports.HEADER);
  }

  @Test
  void sameDay_sameFaults_sameBytes() throws Exception {
    captured("p1", 100);
    captured("p2", 200);

    assertThat(raw("/v1/settlement_reports?date=" + today() + "&currency=USD").body())
        .isEqualTo(raw("/v1/settlement_reports?date=" + today() + "&currency=USD").body());
  }

  @Test
  void faults_dropAlterDuplicateAndAdd_disjointSlicesInReferenceOrder() throws Exception {
    for (int i = 1; i <= 5; i++) {
      captured("p" + i, 1000L * i);
    }
    HttpResponse<String> set =
        put(
            "/sim/faults",
            "{\"report\":{\"drop\":1,\"alter_amount\":1,\"duplicate\":1,\"extra\":2}}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(json.readTree(set.body()).path("report").path("alter_amount").asInt()).isEqualTo(1);

    List<String> lines = report(today(), "USD");

    List<String> references =
        lines.stream().skip(1).map(line -> line.substring(0, line.indexOf(','))).toList();
    String day = today().toString().replace("-", "");
    assertThat(references)
        .containsExactly(
            "p2:capture",
            "p3:capture",
            "p3:capture",
            "p4:capture",
            "p5:capture",
            "sim-extra-" + day + "-1:capture",
            "sim-extra-" + day + "-2:capture");
    // p1 dropped; p2 reported 100 more than settled, its fee and net following the reported gross.
    assertThat(lines.get(1)).startsWith("p2:capture,capture,USD,2100,42,2058,");
    assertThat(lines.get(4)).startsWith("p4:capture,capture,USD,4000,");
  }

  @Test
  void reset_forgetsSettlementsAndReportFaults() throws Exception {
    captured("p1", 100);
    put("/sim/faults", "{\"report\":{\"extra\":1}}");

    assertThat(raw("/sim/reset", "POST").statusCode()).isEqualTo(200);

    assertThat(report(today(), "USD")).containsExactly(SettlementReports.HEADER);
  }

  @Test
  void badParameters_are400sNamingTheField_badFaultsToo() throws Exception {
    HttpResponse<String> noCurrency = raw("/v1/settlement_reports?date=" + today());
    HttpResponse<String> badDate = raw("/v1/settlement_reports?date=2026-13-01&currency=USD");
    HttpResponse<String> badFaults = put("/sim/faults", "{\"report\":{\"drop\":-1}}");

    assertThat(noCurrency.statusCode()).isEqualTo(400);
    assertThat(noCurrency.body()).contains("invalid_currency");
    assertThat(badDate.statusCode()).isEqualTo(400);
    assertThat(badDate.body()).contains("invalid_date");
    assertThat(badFaults.statusCode()).isEqualTo(400);
    assertThat(badFaults.body()).contains("report.drop");
  }

  @Test
  void dayOfAnOperation_isTheUtcDayOfTheBanksClock() {
    Instant lateEvening = Instant.parse("2026-11-24T23:59:59Z");
    SettlementReports reports = new SettlementReports(Clock.fixed(lateEvening, ZoneOffset.UTC));
    reports.settling(
        "p1:capture",
        "capture",
        BankOutcome.ok(Map.of("currency", "USD", "captured_amount", 5000L)));
    // Failures settle nothing.
    reports.settling("p2:capture", "capture", BankOutcome.error(409, "x", "y"));

    assertThat(reports.csv(LocalDate.parse("2026-11-24"), "USD"))
        .isEqualTo(
            SettlementReports.HEADER
                + "\np1:capture,capture,USD,5000,85,4915,B20261124USD,2026-11-24\n");
    assertThat(reports.csv(LocalDate.parse("2026-11-25"), "USD"))
        .isEqualTo(SettlementReports.HEADER + "\n");
  }

  /** The bank's day, by its pinned clock. */
  private static LocalDate today() {
    return LocalDate.ofInstant(NOON, ZoneOffset.UTC);
  }

  private void captured(String paymentId, long amount) throws Exception {
    String auth = authorize(paymentId + "-auth", amount, "USD");
    post(
        "/v1/authorizations/" + auth + "/capture",
        "{\"request_id\":\"" + paymentId + ":capture\",\"amount\":" + amount + "}");
  }

  private String authorize(String requestId, long amount, String currency) throws Exception {
    JsonNode auth =
        post(
            "/v1/authorizations",
            "{\"request_id\":\""
                + requestId
                + "\",\"amount\":"
                + amount
                + ",\"currency\":\""
                + currency
                + "\",\"card\":{\"number\":\""
                + VISA
                + "\",\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}");
    return auth.path("authorization_id").asString();
  }

  private List<String> report(LocalDate day, String currency) throws Exception {
    HttpResponse<String> response =
        raw("/v1/settlement_reports?date=" + day + "&currency=" + currency);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    return response.body().lines().toList();
  }

  private JsonNode post(String path, String body) throws Exception {
    return json.readTree(
        http.send(
                request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(
        request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> raw(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> raw(String path, String method) throws Exception {
    return http.send(
        request(path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(bank.baseUrl() + path))
        .timeout(Duration.ofSeconds(10));
  }
}
