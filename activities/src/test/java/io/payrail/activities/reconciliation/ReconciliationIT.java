package io.payrail.activities.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.PaymentPostings;
import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.reconciliation.ReconciliationRequest;
import io.payrail.workflows.reconciliation.ReconciliationResult;
import io.payrail.workflows.reconciliation.ReconciliationWorkflow;
import io.payrail.workflows.reconciliation.ReconciliationWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reconciliation end to end against the real PostgreSQL with the schema and the real bank
 * simulator: captures and refunds go through the bank, Payrail's settlement items and journal
 * entries name them by the same references, the bank is made to get its report wrong in each way,
 * and the workflow (time-skipping test server, real activities) reports each break.
 */
class ReconciliationIT {

  private static final String QUEUE = "reconciliation-it";
  private static final JsonMapper json = JsonMapper.builder().build();

  private static DataSource database;
  private static JdbcClient jdbc;
  private static Ledger ledger;
  private static TestPayments payments;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> authorizations = new java.util.HashMap<>();
  private BankSimulator bank;
  private TestWorkflowEnvironment env;

  /** A capture or refund, at the bank and in Payrail's books. */
  record Settled(String itemId, String reference, long amount) {}

  @BeforeAll
  static void wire() {
    database = TestServers.database();
    jdbc = JdbcClient.create(database);
    ledger = new Ledger(jdbc, new JdbcTransactionManager(database));
    payments = new TestPayments(database);
  }

  /** The bank's clock and the workflow environment, on a day of the test's own. */
  private void start(LocalDate day) {
    Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    bank = BankSimulator.start(0, Faults.NONE, Clock.fixed(noon, ZoneOffset.UTC));
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ReconciliationActivitiesImpl(
            new SettlementReportClient(
                URI.create(bank.baseUrl()), Duration.ofSeconds(2), Duration.ofSeconds(10)),
            new ReconciliationStore(
                new JdbcTemplate(database), new JdbcTransactionManager(database))));
    env.start();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    if (bank != null) {
      bank.close();
    }
  }

  @Test
  void eachKindOfBreak_isReported_withItsReferenceAndAmounts_andOnlyOnce() throws Exception {
    LocalDate day = LocalDate.parse("2026-11-10");
    start(day);
    String merchant = payments.merchant();
    List<Settled> settled = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      settled.add(capture(merchant, 1000L * i, day));
    }
    settled.add(refund(merchant, settled.getFirst(), 300, day));
    List<Settled> byReference =
        settled.stream().sorted(Comparator.comparing(Settled::reference)).toList();
    setReportFaults("{\"drop\":1,\"alter_amount\":1,\"duplicate\":1,\"extra\":1}");

    ReconciliationResult result = reconcile("USD", day, 0);

    assertThat(result.status()).isEqualTo("breaks_open");
    assertThat(result.summary().matched()).isEqualTo(3);
    assertThat(result.summary().breaks()).isEqualTo(4);
    Settled dropped = byReference.get(0);
    Settled altered = byReference.get(1);
    Settled duplicated = byReference.get(2);
    String extra = "sim-extra-20261110-1:capture";
    assertThat(breaks(result.reportId()))
        .containsExactlyInAnyOrder(
            tuple("missing", dropped.reference(), dropped.amount(), null, 1),
            tuple(
                "amount_mismatch",
                altered.reference(),
                altered.amount(),
                altered.amount() + 100,
                1),
            tuple("duplicate", duplicated.reference(), duplicated.amount(), duplicated.amount(), 2),
            tuple("unexpected", extra, null, 1001L, 1));
    // Matched lines carry their item and its capture or refund journal entry.
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM reconciliation_lines WHERE report_id = ?"
                        + " AND outcome = 'matched' AND item_id IS NOT NULL"
                        + " AND journal_entry_id IS NOT NULL")
                .param(result.reportId())
                .query(Integer.class)
                .single())
        .isEqualTo(3);

    // The same file again: the second run finds it by hash and does nothing.
    ReconciliationResult again = reconcile("USD", day, 0);

    assertThat(again.status()).isEqualTo("already_ingested");
    assertThat(again.reportId()).isEqualTo(result.reportId());
    assertThat(count("settlement_reports WHERE currency = 'USD' AND report_date = '2026-11-10'"))
        .isEqualTo(1);
    assertThat(count("reconciliation_breaks WHERE report_id = '" + result.reportId() + "'"))
        .isEqualTo(4);
    assertThat(count("reconciliation_lines WHERE report_id = '" + result.reportId() + "'"))
        .isEqualTo(6);

    // The bank corrects its file: another report, all matched; the old breaks are superseded.
    setReportFaults("{\"drop\":0,\"alter_amount\":0,\"duplicate\":0,\"extra\":0}");

    ReconciliationResult corrected = reconcile("USD", day, 0);

    assertThat(corrected.reportId()).isNotEqualTo(result.reportId());
    assertThat(corrected.status()).isEqualTo("reconciled");
    assertThat(corrected.summary().matched()).isEqualTo(5);
    assertThat(
            jdbc.sql(
                    "SELECT DISTINCT resolution_note FROM reconciliation_breaks"
                        + " WHERE report_id = ? AND status = 'resolved' AND resolved_by = 'system'")
                .param(result.reportId())
                .query(String.class)
                .list())
        .containsExactly("superseded by the corrected report " + corrected.reportId());
  }

  @Test
  void openBreaks_areAlertedOncePastTheThreshold_andTheWatchIsBounded() throws Exception {
    LocalDate day = LocalDate.parse("2026-11-11");
    start(day);
    String merchant = payments.merchant();
    capture(merchant, 500, day);
    setReportFaults("{\"drop\":1}");

    ReconciliationResult result =
        env.getWorkflowClient()
            .newWorkflowStub(ReconciliationWorkflow.class, options("USD", day))
            .reconcile(new ReconciliationRequest("USD", day.toString(), 2, 4));

    assertThat(result.status()).isEqualTo("breaks_open");
    assertThat(result.openBreaks()).isEqualTo(1);
    // Checked on days 1 to 4; past two days old on days 2 (at the threshold), 3 and 4.
    Map<String, Object> missing =
        jdbc.sql(
                "SELECT alert_count, last_alerted_at FROM reconciliation_breaks"
                    + " WHERE report_id = ? AND kind = 'missing'")
            .param(result.reportId())
            .query()
            .singleRow();
    assertThat(missing.get("alert_count")).isEqualTo(3);
    assertThat(missing.get("last_alerted_at")).isNotNull();
  }

  @Test
  void aMissingItemReportedByTheNextDaysReport_isResolvedByIt() throws Exception {
    LocalDate day = LocalDate.parse("2026-11-12");
    // Recorded by Payrail on the 12th; settled by the bank on its next day (its clock: the 13th).
    start(day.plusDays(1));
    Settled late = capture(payments.merchant(), 700, day);
    ReconciliationResult first = reconcile("USD", day, 0);
    assertThat(breaks(first.reportId()))
        .containsExactly(tuple("missing", late.reference(), 700L, null, 1));

    ReconciliationResult next = reconcile("USD", day.plusDays(1), 0);

    assertThat(next.summary().matched()).isEqualTo(1);
    assertThat(next.summary().breaks()).isZero();
    assertThat(
            jdbc.sql("SELECT resolution_note FROM reconciliation_breaks WHERE report_id = ?")
                .param(first.reportId())
                .query(String.class)
                .single())
        .isEqualTo("reported in " + next.reportId() + " of another day");
  }

  // --- fixtures ---

  private ReconciliationResult reconcile(String currency, LocalDate day, int watchDays) {
    return env.getWorkflowClient()
        .newWorkflowStub(ReconciliationWorkflow.class, options(currency, day))
        .reconcile(new ReconciliationRequest(currency, day.toString(), 3, watchDays));
  }

  private static WorkflowOptions options(String currency, LocalDate day) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE)
        .setWorkflowId(ReconciliationWorkflow.workflowId(currency, day.toString()))
        .build();
  }

  /**
   * A capture through the bank and its item and journal entry at Payrail, at noon of {@code day}.
   */
  private Settled capture(String merchant, long amount, LocalDate day) throws Exception {
    TestPayments.Payment payment = payments.payment(merchant, Money.of(amount, "USD"));
    JsonNode auth =
        post(
            "/v1/authorizations",
            Map.of(
                "request_id",
                payment.id() + ":authorize",
                "amount",
                amount,
                "currency",
                "USD",
                "card",
                Map.of(
                    "number",
                    "4242424242424242",
                    "exp_month",
                    12,
                    "exp_year",
                    2034,
                    "cvc",
                    "123")));
    String authorization = auth.path("authorization_id").asString();
    String reference = payment.id() + ":capture";
    post(
        "/v1/authorizations/" + authorization + "/capture",
        Map.of("request_id", reference, "amount", amount));
    authorizations.put(payment.id(), authorization);
    item(payment.id(), "capture", merchant, payment.id(), amount, reference, day);
    ledger.post(
        payment.id() + ":2:capture",
        "capture",
        payment.id(),
        Currency.getInstance("USD"),
        List.of(
            Ledger.Line.debit(PaymentPostings.ACQUIRER_RECEIVABLE, null, amount),
            Ledger.Line.credit(PaymentPostings.MERCHANT_PAYABLE, merchant, amount)));
    return new Settled(payment.id(), reference, amount);
  }

  private Settled refund(String merchant, Settled capture, long amount, LocalDate day)
      throws Exception {
    String authorization = authorizations.get(capture.itemId());
    String refundId = "re_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    String reference = refundId + ":refund";
    post(
        "/v1/authorizations/" + authorization + "/refunds",
        Map.of("request_id", reference, "amount", amount));
    item(refundId, "refund", merchant, capture.itemId(), amount, reference, day);
    ledger.post(
        refundId + ":1:refund",
        "refund",
        capture.itemId(),
        Currency.getInstance("USD"),
        List.of(
            Ledger.Line.debit(PaymentPostings.MERCHANT_PAYABLE, merchant, amount),
            Ledger.Line.credit(PaymentPostings.ACQUIRER_RECEIVABLE, null, amount)));
    return new Settled(refundId, reference, amount);
  }

  private static void item(
      String id,
      String kind,
      String merchant,
      String paymentId,
      long amount,
      String reference,
      LocalDate day) {
    jdbc.sql(
            """
            INSERT INTO settlement_items (id, kind, merchant_id, payment_id, currency, amount,
                                          bank_reference, occurred_at)
            VALUES (?, ?, ?, ?, 'USD', ?, ?, ?)
            """)
        .params(
            id,
            kind,
            merchant,
            paymentId,
            amount,
            reference,
            Timestamp.from(day.atTime(12, 0, 1).toInstant(ZoneOffset.UTC)))
        .update();
  }

  private List<org.assertj.core.groups.Tuple> breaks(String reportId) {
    return jdbc.sql(
            """
            SELECT kind, reference, expected_amount, reported_amount, occurrences
            FROM reconciliation_breaks WHERE report_id = ? AND status = 'open'
            """)
        .param(reportId)
        .query(
            (row, n) ->
                tuple(
                    row.getString(1),
                    row.getString(2),
                    (Long) row.getObject(3),
                    (Long) row.getObject(4),
                    row.getInt(5)))
        .list();
  }

  private static long count(String fromWhere) {
    return jdbc.sql("SELECT count(*) FROM " + fromWhere).query(Long.class).single();
  }

  private void setReportFaults(String report) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(bank.baseUrl() + "/sim/faults"))
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"report\":" + report + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private JsonNode post(String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(bank.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }
}
