package io.payrail.activities.refund;

import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.PaymentPostings;
import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.activities.settlement.SettlementItems;
import io.payrail.platform.refund.RefundObject;
import io.payrail.platform.refund.RefundReads;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.refund.RefundRecordActivities;
import io.payrail.workflows.refund.RefundStatus;
import io.payrail.workflows.refund.RefundTransition;
import io.temporal.spring.boot.ActivityImpl;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records a refund's transition in one transaction: the refund row (inserted by its first, {@code
 * pending}, transition), its append-only history, and, once it succeeded, the payment's refunded
 * amount and the ledger entry; the event goes to the outbox like a payment's.
 *
 * <p>Ledger: a succeeded refund of R posts {@code refund}: Dr {@code merchant_payable} (merchant) R
 * / Cr {@code acquirer_receivable} R, undoing that much of the capture. Key {@code
 * <refundId>:<sequence>:refund}. The succeeded refund is also a settlement item ({@link
 * SettlementItems}).
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.PAYMENTS)
public class RefundRecordActivitiesImpl implements RefundRecordActivities {

  public static final String TOPIC = "payrail.refund-events";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Ledger ledger;
  private final RefundReads reads;
  private final JsonMapper json;

  public RefundRecordActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      Ledger ledger,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.ledger = ledger;
    this.reads = new RefundReads(jdbc, json);
    this.json = json;
  }

  @Override
  public void recordRefund(RefundTransition transition) {
    transactions.executeWithoutResult(
        status -> {
          OffsetDateTime now = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
          boolean applied =
              transition.sequence() == 1 ? insertRefund(transition) : applyToRefund(transition);
          if (!applied) {
            return;
          }
          jdbc.sql(
                  """
                  INSERT INTO refund_transitions (refund_id, sequence, from_status, to_status,
                                                  failure_code)
                  VALUES (?, ?, ?, ?, ?)
                  """)
              .params(
                  transition.refundId(),
                  transition.sequence(),
                  transition.from() == null ? null : transition.from().apiName(),
                  transition.to().apiName(),
                  transition.failureCode())
              .update();
          if (transition.to() == RefundStatus.SUCCEEDED) {
            refundPayment(transition);
            SettlementItems.refund(jdbc, transition, now);
          }
          insertEvent(transition, now);
        });
  }

  private boolean insertRefund(RefundTransition t) {
    return jdbc.sql(
                """
                INSERT INTO refunds (id, merchant_id, payment_id, amount, currency, status, reason,
                                     metadata, last_sequence)
                VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), 1)
                ON CONFLICT (id) DO NOTHING
                """)
            .params(
                t.refundId(),
                t.merchantId(),
                t.paymentId(),
                t.amount().minor(),
                t.amount().currency().getCurrencyCode(),
                t.to().apiName(),
                t.reason(),
                json.writeValueAsString(t.metadata() == null ? Map.of() : t.metadata()))
            .update()
        == 1;
  }

  /** False when the transition is already recorded; throws while its predecessor is missing. */
  private boolean applyToRefund(RefundTransition t) {
    int updated =
        jdbc.sql(
                """
                UPDATE refunds SET status = ?, failure_code = ?, last_sequence = ?,
                                   updated_at = now()
                WHERE id = ? AND last_sequence = ?
                """)
            .params(t.to().apiName(), t.failureCode(), t.sequence(), t.refundId(), t.sequence() - 1)
            .update();
    if (updated == 1) {
      return true;
    }
    Integer last =
        jdbc.sql("SELECT last_sequence FROM refunds WHERE id = ?")
            .param(t.refundId())
            .query(Integer.class)
            .optional()
            .orElse(0);
    if (last >= t.sequence()) {
      return false;
    }
    throw new IllegalStateException(
        "transition " + t.sequence() + " of " + t.refundId() + " came before its predecessor");
  }

  private void refundPayment(RefundTransition t) {
    jdbc.sql(
            """
            UPDATE payments SET amount_refunded = amount_refunded + ?, updated_at = now()
            WHERE id = ?
            """)
        .params(t.amount().minor(), t.paymentId())
        .update();
    long amount = t.amount().minor();
    ledger.post(
        t.refundId() + ":" + t.sequence() + ":refund",
        "refund",
        t.paymentId(),
        t.amount().currency(),
        List.of(
            Ledger.Line.debit(PaymentPostings.MERCHANT_PAYABLE, t.merchantId(), amount),
            Ledger.Line.credit(PaymentPostings.ACQUIRER_RECEIVABLE, null, amount)));
  }

  private void insertEvent(RefundTransition t, OffsetDateTime now) {
    RefundObject refund =
        reads
            .find(t.merchantId(), t.refundId())
            .orElseThrow(() -> new IllegalStateException("no refund " + t.refundId()));
    String type =
        switch (t.to()) {
          case PENDING -> "refund.created";
          case SUCCEEDED -> "refund.succeeded";
          case FAILED -> "refund.failed";
          case CANCELED -> "refund.canceled";
        };
    String id = "evt_" + t.refundId().substring("re_".length()) + "_r" + t.sequence();
    RefundEvent event =
        new RefundEvent(
            id,
            "event",
            type,
            PaymentRecordActivitiesImpl.API_VERSION,
            now.toEpochSecond(),
            new RefundEvent.Data(refund));
    jdbc.sql(
            """
            INSERT INTO events
                (id, type, api_version, merchant_id, object_id, topic, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
            """)
        .params(
            id,
            type,
            PaymentRecordActivitiesImpl.API_VERSION,
            t.merchantId(),
            t.refundId(),
            TOPIC,
            json.writeValueAsString(event),
            now)
        .update();
  }

  /** A refund event: the same envelope as a payment's, with the refund as {@code data.object}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RefundEvent(
      String id, String object, String type, String apiVersion, long created, Data data) {

    record Data(RefundObject object) {}
  }
}
