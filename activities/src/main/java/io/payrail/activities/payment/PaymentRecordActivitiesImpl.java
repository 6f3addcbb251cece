package io.payrail.activities.payment;

import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.PaymentPostings;
import io.payrail.activities.settlement.SettlementItems;
import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.payment.PaymentRecordActivities;
import io.payrail.workflows.payment.PaymentStatus;
import io.payrail.workflows.payment.PaymentTransition;
import io.temporal.spring.boot.ActivityImpl;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records a payment's transition in one database transaction: the payment row, the append-only
 * transition, the ledger entries ({@link PaymentPostings}) and the event in the outbox, which
 * {@code OutboxRelay} publishes to Kafka. Either all of it is stored or none. A capture also writes
 * its settlement item ({@link SettlementItems}), at the transition's recorded time.
 *
 * <p>Transitions apply in order, once: the payment's {@code last_sequence} must be the previous
 * sequence number. A retry of a recorded transition finds {@code last_sequence} already at its
 * number and changes nothing; a transition whose predecessor is missing fails (retryably) until it
 * is there.
 *
 * <p>The transaction is a {@link TransactionTemplate}, not {@code @Transactional}: the worker
 * registers this very object, with no proxy between Temporal and the method.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.PAYMENTS)
public class PaymentRecordActivitiesImpl implements PaymentRecordActivities {

  public static final String API_VERSION = "2026-11-01";
  public static final String TOPIC = "payrail.payment-events";

  private static final Logger log = LoggerFactory.getLogger(PaymentRecordActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Ledger ledger;
  private final PaymentReads reads;
  private final JsonMapper json;

  public PaymentRecordActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      Ledger ledger,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.ledger = ledger;
    this.reads = new PaymentReads(jdbc, json);
    this.json = json;
  }

  @Override
  public void record(PaymentTransition transition) {
    List<PaymentPostings.Entry> postings = PaymentPostings.of(transition);
    transactions.executeWithoutResult(
        status -> {
          OffsetDateTime now = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
          if (!applyToPayment(transition)) {
            log.debug(
                "transition {} of {} is already recorded",
                transition.sequence(),
                transition.paymentId());
            return;
          }
          insertTransition(transition);
          if (transition.from() == PaymentStatus.PROCESSING) {
            purgeCvc(transition.paymentId());
          }
          for (PaymentPostings.Entry entry : postings) {
            ledger.post(
                entry.idempotencyKey(),
                entry.kind(),
                transition.paymentId(),
                transition.amount().currency(),
                entry.lines());
          }
          if (transition.from() == PaymentStatus.REQUIRES_CAPTURE
              && transition.to() == PaymentStatus.SUCCEEDED) {
            SettlementItems.capture(jdbc, transition, now);
          }
          insertEvent(transition, now);
        });
  }

  /** The event id of a transition: the same on every retry, so consumers deduplicate on it. */
  public static String eventId(String paymentId, int sequence) {
    String bare = paymentId.startsWith("pay_") ? paymentId.substring("pay_".length()) : paymentId;
    return "evt_" + bare + "_" + sequence;
  }

  /** False when the transition is already recorded. */
  private boolean applyToPayment(PaymentTransition t) {
    int updated =
        jdbc.sql(
                """
                UPDATE payments
                SET status = ?, amount_captured = ?, authorization_id = ?, decline_code = ?,
                    failure_message = ?, cancellation_reason = ?, last_sequence = ?,
                    updated_at = now()
                WHERE id = ? AND last_sequence = ?
                """)
            .params(
                t.to().apiName(),
                t.amountCaptured() == null ? 0 : t.amountCaptured().minor(),
                t.authorizationId(),
                t.declineCode(),
                t.failureMessage(),
                t.cancellationReason(),
                t.sequence(),
                t.paymentId(),
                t.sequence() - 1)
            .update();
    if (updated == 1) {
      return true;
    }
    int lastSequence =
        jdbc.sql("SELECT last_sequence FROM payments WHERE id = ?")
            .param(t.paymentId())
            .query(Integer.class)
            .optional()
            .orElseThrow(() -> new IllegalStateException("no payment " + t.paymentId()));
    if (lastSequence >= t.sequence()) {
      return false;
    }
    throw new IllegalStateException(
        "transition "
            + t.sequence()
            + " of "
            + t.paymentId()
            + " came before transition "
            + (lastSequence + 1)
            + " was recorded");
  }

  /**
   * The authorization is decided (approved, declined, blocked or given up): the CVC has served its
   * only purpose and is deleted from the vault, whichever path got here.
   */
  private void purgeCvc(String paymentId) {
    jdbc.sql(
            """
            UPDATE cards SET cvc_ciphertext = NULL
            WHERE token = (SELECT card_token FROM payments WHERE id = ?)
              AND cvc_ciphertext IS NOT NULL
            """)
        .param(paymentId)
        .update();
  }

  private void insertTransition(PaymentTransition t) {
    String reason =
        switch (t.to()) {
          case FAILED -> t.declineCode();
          case CANCELED -> t.cancellationReason();
          default -> null;
        };
    jdbc.sql(
            """
            INSERT INTO payment_transitions
                (payment_id, sequence, from_status, to_status, amount_captured, decline_code, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            t.paymentId(),
            t.sequence(),
            t.from().apiName(),
            t.to().apiName(),
            t.amountCaptured() == null ? 0 : t.amountCaptured().minor(),
            t.declineCode(),
            reason)
        .update();
  }

  private void insertEvent(PaymentTransition t, OffsetDateTime now) {
    PaymentObject payment =
        reads
            .find(t.merchantId(), t.paymentId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "payment " + t.paymentId() + " is not " + t.merchantId() + "'s"));
    String id = eventId(t.paymentId(), t.sequence());
    String type = "payment." + t.to().apiName();
    PaymentEvent event =
        new PaymentEvent(
            id, "event", type, API_VERSION, now.toEpochSecond(), new PaymentEvent.Data(payment));
    jdbc.sql(
            """
            INSERT INTO events
                (id, type, api_version, merchant_id, object_id, topic, payload, created_at)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
            """)
        .params(
            id,
            type,
            API_VERSION,
            t.merchantId(),
            t.paymentId(),
            TOPIC,
            json.writeValueAsString(event),
            now)
        .update();
  }
}
