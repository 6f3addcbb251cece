package io.payrail.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestPayments.Payment;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.Ledger.Line;
import io.payrail.activities.ledger.PaymentPostings;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.PaymentTransition;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Recording transitions, the ledger and the outbox against a real PostgreSQL with the schema. */
class PaymentRecordingIT {

  private static final JsonMapper json = JsonMapper.builder().build();

  private static JdbcClient jdbc;
  private static Ledger ledger;
  private static PaymentRecordActivitiesImpl records;
  private static TestPayments payments;

  @BeforeAll
  static void wire() {
    DataSource database = TestServers.database();
    jdbc = JdbcClient.create(database);
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    ledger = new Ledger(jdbc, transactions);
    records = new PaymentRecordActivitiesImpl(jdbc, transactions, ledger, json);
    payments = new TestPayments(database);
  }

  @Test
  void recordingTheSameTransitionTwice_storesOneTransitionOneEventOneEntry() {
    Payment payment = payments.payment(payments.merchant(), Money.of(1000, "USD"));

    records.record(payment.authorized());
    records.record(payment.authorized());

    assertThat(count("payment_transitions", payment)).isEqualTo(1);
    assertThat(count("events", payment)).isEqualTo(1);
    assertThat(count("journal_entries", payment)).isEqualTo(1);
    assertThat(status(payment)).isEqualTo("requires_capture");
  }

  @Test
  void concurrentAttemptsOfOneTransition_storeItOnce() throws Exception {
    Payment payment = payments.payment(payments.merchant(), Money.of(1000, "USD"));
    CyclicBarrier together = new CyclicBarrier(4);

    try (ExecutorService attempts = Executors.newFixedThreadPool(4)) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  await(together);
                  records.record(payment.authorized());
                },
                attempts));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    }

    assertThat(count("payment_transitions", payment)).isEqualTo(1);
    assertThat(count("events", payment)).isEqualTo(1);
    assertThat(count("journal_entries", payment)).isEqualTo(1);
  }

  @Test
  void aTransitionBeforeItsPredecessor_isRefused_andStoresNothing() {
    Payment payment = payments.payment(payments.merchant(), Money.of(1000, "USD"));

    assertThatThrownBy(() -> records.record(payment.captured(1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("came before transition 1");

    assertThat(count("payment_transitions", payment)).isZero();
    assertThat(count("events", payment)).isZero();
    assertThat(count("journal_entries", payment)).isZero();
    assertThat(status(payment)).isEqualTo("processing");
  }

  @Test
  void event_carriesThePaymentAsTheApiShowsIt_rightAfterTheChange() {
    Payment payment = payments.payment(payments.merchant(), Money.of(2500, "USD"));
    records.record(payment.authorized());
    records.record(payment.captured(2000));

    Map<String, Object> row =
        jdbc.sql(
                """
                SELECT id, type, api_version, merchant_id, object_id, topic, payload::text AS payload,
                       floor(extract(epoch FROM created_at))::bigint AS created, published_at
                FROM events WHERE object_id = ? ORDER BY created_at DESC, id DESC LIMIT 1
                """)
            .param(payment.id())
            .query()
            .singleRow();
    String eventId = "evt_" + payment.id().substring(4) + "_2";
    assertThat(row)
        .containsEntry("id", eventId)
        .containsEntry("type", "payment.succeeded")
        .containsEntry("api_version", "2026-11-01")
        .containsEntry("merchant_id", payment.merchantId())
        .containsEntry("object_id", payment.id())
        .containsEntry("topic", "payrail.payment-events")
        .containsEntry("published_at", null);

    JsonNode event = json.readTree((String) row.get("payload"));
    assertThat(event.path("id").asString()).isEqualTo(eventId);
    assertThat(event.path("object").asString()).isEqualTo("event");
    assertThat(event.path("type").asString()).isEqualTo("payment.succeeded");
    assertThat(event.path("api_version").asString()).isEqualTo("2026-11-01");
    assertThat(event.path("created").asLong()).isEqualTo(row.get("created"));
    JsonNode object = event.path("data").path("object");
    assertThat(object.path("id").asString()).isEqualTo(payment.id());
    assertThat(object.path("status").asString()).isEqualTo("succeeded");
    assertThat(object.path("amount_captured").asLong()).isEqualTo(2000);
    assertThat(object.path("metadata").path("order").asString()).isEqualTo("42");
    String asTheApiShowsIt =
        json.writeValueAsString(
            new PaymentReads(jdbc, json).find(payment.merchantId(), payment.id()).orElseThrow());
    assertThat(object).isEqualTo(json.readTree(asTheApiShowsIt));
    assertThat(row.get("payload").toString()).doesNotContain("4242424242424242");
  }

  @Test
  void transitionRows_keepTheDeclineCodeOrTheCancellationReason() {
    String merchant = payments.merchant();
    Payment declined = payments.payment(merchant, Money.of(1000, "USD"));
    Payment canceled = payments.payment(merchant, Money.of(1000, "USD"));
    records.record(declined.declined("insufficient_funds"));
    records.record(canceled.authorized());
    records.record(canceled.canceled("expired"));

    assertThat(reasons(declined)).containsExactly("insufficient_funds");
    assertThat(reasons(canceled)).containsExactly(null, "expired");
    assertThat(
            jdbc.sql("SELECT cancellation_reason FROM payments WHERE id = ?")
                .param(canceled.id())
                .query(String.class)
                .single())
        .isEqualTo("expired");
  }

  /** GBP is used by this test alone, so Payrail's own GBP accounts hold only its payments. */
  @Test
  void mixedPayments_leaveEveryEntryBalanced_andEveryBalanceTheSumOfItsLines() {
    String merchant = payments.merchant();
    Payment full = payments.payment(merchant, Money.of(1000, "GBP"));
    Payment partial = payments.payment(merchant, Money.of(1000, "GBP"));
    Payment voided = payments.payment(merchant, Money.of(500, "GBP"));
    Payment compensated = payments.payment(merchant, Money.of(700, "GBP"));
    Payment declined = payments.payment(merchant, Money.of(300, "GBP"));
    List<PaymentTransition> history =
        List.of(
            full.authorized(),
            partial.authorized(),
            voided.authorized(),
            compensated.authorized(),
            declined.declined("card_declined"),
            full.captured(1000),
            partial.captured(600),
            voided.canceled("requested_by_customer"),
            compensated.captureRefused("authorization_expired"));
    history.forEach(records::record);
    history.forEach(records::record); // every activity retried once: nothing changes

    assertThat(unbalancedEntries()).isEmpty();
    assertThat(balancesThatAreNotTheSumOfTheirLines()).isEmpty();
    assertThat(balance(PaymentPostings.MERCHANT_AUTHORIZED, merchant)).isZero();
    assertThat(balance(PaymentPostings.ACQUIRER_AUTHORIZED, null)).isZero();
    assertThat(balance(PaymentPostings.ACQUIRER_RECEIVABLE, null)).isEqualTo(1600);
    assertThat(balance(PaymentPostings.MERCHANT_PAYABLE, merchant)).isEqualTo(-1600);
    assertThat(
            jdbc.sql(
                    """
                    SELECT kind FROM journal_entries WHERE currency = 'GBP'
                    ORDER BY kind
                    """)
                .query(String.class)
                .list())
        .containsExactly(
            "authorization",
            "authorization",
            "authorization",
            "authorization",
            "capture",
            "capture",
            "release",
            "void",
            "void");
    assertThat(count("journal_entries", declined)).isZero();
  }

  @Test
  void ledgerPost_withAKeyAlreadyPosted_changesNothing() {
    String merchant = payments.merchant();
    List<Line> lines =
        List.of(Line.debit("suspense", null, 250), Line.credit("suspense", merchant, 250));
    Currency chf = Currency.getInstance("CHF");
    String key = "manual:" + merchant;

    assertThat(ledger.post(key, "adjustment", null, chf, lines)).isTrue();
    assertThat(ledger.post(key, "adjustment", null, chf, lines)).isFalse();

    assertThat(balance("suspense", merchant, "CHF")).isEqualTo(-250);
    assertThat(
            jdbc.sql("SELECT count(*) FROM journal_entries WHERE idempotency_key = ?")
                .param(key)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  private static int count(String table, Payment payment) {
    String column = table.equals("events") ? "object_id" : "payment_id";
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = ?")
        .param(payment.id())
        .query(Integer.class)
        .single();
  }

  private static String status(Payment payment) {
    return jdbc.sql("SELECT status FROM payments WHERE id = ?")
        .param(payment.id())
        .query(String.class)
        .single();
  }

  private static List<String> reasons(Payment payment) {
    return jdbc.sql("SELECT reason FROM payment_transitions WHERE payment_id = ? ORDER BY sequence")
        .param(payment.id())
        .query((row, n) -> row.getString("reason"))
        .list();
  }

  private static long balance(String code, String merchant) {
    return balance(code, merchant, "GBP");
  }

  private static long balance(String code, String merchant, String currency) {
    return jdbc.sql(
            """
            SELECT balance FROM ledger_accounts
            WHERE code = ? AND merchant_id IS NOT DISTINCT FROM CAST(? AS text) AND currency = ?
            """)
        .params(code, merchant, currency)
        .query(Long.class)
        .single();
  }

  private static List<Long> unbalancedEntries() {
    return jdbc.sql(
            """
            SELECT e.id FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
            GROUP BY e.id HAVING sum(l.amount) <> 0 OR count(*) < 2
            """)
        .query(Long.class)
        .list();
  }

  private static List<Long> balancesThatAreNotTheSumOfTheirLines() {
    return jdbc.sql(
            """
            SELECT a.id FROM ledger_accounts a LEFT JOIN journal_lines l ON l.account_id = a.id
            GROUP BY a.id, a.balance HAVING a.balance <> coalesce(sum(l.amount), 0)
            """)
        .query(Long.class)
        .list();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
