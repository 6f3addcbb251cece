package io.payrail.activities.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestPayments.Payment;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.activities.refund.RefundRecordActivitiesImpl;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.refund.RefundStatus;
import io.payrail.workflows.refund.RefundTransition;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/** Captures and succeeded refunds become settlement items, once, with their transition. */
class SettlementItemsIT {

  private static JdbcClient jdbc;
  private static PaymentRecordActivitiesImpl payments;
  private static RefundRecordActivitiesImpl refunds;
  private static TestPayments rows;

  @BeforeAll
  static void wire() {
    DataSource database = TestServers.database();
    jdbc = JdbcClient.create(database);
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    Ledger ledger = new Ledger(jdbc, transactions);
    JsonMapper json = JsonMapper.builder().build();
    payments = new PaymentRecordActivitiesImpl(jdbc, transactions, ledger, json);
    refunds = new RefundRecordActivitiesImpl(jdbc, transactions, ledger, json);
    rows = new TestPayments(database);
  }

  @Test
  void aCapture_isOneItem_ofTheCapturedAmount_atTheTransitionsTime_evenRecordedTwice() {
    Payment payment = rows.payment(rows.merchant(), Money.of(2500, "USD"));
    payments.record(payment.authorized());

    payments.record(payment.captured(2000));
    payments.record(payment.captured(2000));

    Map<String, Object> item = item(payment.id());
    assertThat(item)
        .containsEntry("kind", "capture")
        .containsEntry("merchant_id", payment.merchantId())
        .containsEntry("payment_id", payment.id())
        .containsEntry("currency", "USD")
        .containsEntry("amount", 2000L)
        .containsEntry("bank_reference", payment.id() + ":capture")
        .containsEntry("same_time", true);
    assertThat(item.get("settled_run_id")).isNull();
    assertThat(count(payment.id())).isEqualTo(1);
  }

  @Test
  void anAuthorizationOrACancel_isNoItem() {
    Payment payment = rows.payment(rows.merchant(), Money.of(2500, "USD"));
    payments.record(payment.authorized());
    payments.record(payment.canceled("requested_by_customer"));

    assertThat(count(payment.id())).isZero();
  }

  @Test
  void aSucceededRefund_isOneItem_aPendingOrFailedOneIsNone() {
    Payment payment = rows.payment(rows.merchant(), Money.of(2500, "USD"));
    payments.record(payment.authorized());
    payments.record(payment.captured(2500));
    String refundId = "re_A" + payment.id().substring(5);
    String failedId = "re_B" + payment.id().substring(5);
    refunds.recordRefund(refund(payment, refundId, 1, null, RefundStatus.PENDING));
    refunds.recordRefund(refund(payment, failedId, 1, null, RefundStatus.PENDING));
    refunds.recordRefund(refund(payment, failedId, 2, RefundStatus.PENDING, RefundStatus.FAILED));

    refunds.recordRefund(
        refund(payment, refundId, 2, RefundStatus.PENDING, RefundStatus.SUCCEEDED));
    refunds.recordRefund(
        refund(payment, refundId, 2, RefundStatus.PENDING, RefundStatus.SUCCEEDED));

    assertThat(item(refundId))
        .containsEntry("kind", "refund")
        .containsEntry("payment_id", payment.id())
        .containsEntry("amount", 700L)
        .containsEntry("bank_reference", refundId + ":refund");
    assertThat(count(refundId)).isEqualTo(1);
    assertThat(count(failedId)).isZero();
  }

  private static RefundTransition refund(
      Payment payment, String id, int sequence, RefundStatus from, RefundStatus to) {
    return new RefundTransition(
        id,
        payment.id(),
        payment.merchantId(),
        sequence,
        from,
        to,
        Money.of(700, "USD"),
        null,
        to == RefundStatus.FAILED ? "processing_error" : null,
        null);
  }

  private static Map<String, Object> item(String id) {
    return jdbc.sql(
            """
            SELECT i.*, i.occurred_at = coalesce(
                (SELECT recorded_at FROM payment_transitions t
                 WHERE t.payment_id = i.id AND t.to_status = 'succeeded'), i.occurred_at)
                AS same_time
            FROM settlement_items i WHERE i.id = ?
            """)
        .param(id)
        .query()
        .singleRow();
  }

  private static long count(String id) {
    return jdbc.sql("SELECT count(*) FROM settlement_items WHERE id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }
}
