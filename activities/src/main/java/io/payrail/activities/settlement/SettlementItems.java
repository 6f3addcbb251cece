package io.payrail.activities.settlement;

import io.payrail.workflows.payment.PaymentTransition;
import io.payrail.workflows.refund.RefundTransition;
import java.time.OffsetDateTime;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes the settlement items (docs/settlement.md) inside the recording transaction of the
 * transition that makes them, so an item exists exactly when its capture or refund does. {@code
 * occurred_at} is the transaction's {@code now()}, the time the transition itself is recorded at,
 * which decides its business day. A retried recording inserts nothing (the item's id is the
 * payment's or the refund's).
 */
public final class SettlementItems {

  private static final String INSERT =
      """
      INSERT INTO settlement_items
          (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO NOTHING
      """;

  private SettlementItems() {}

  /** The captured amount of a {@code requires_capture -> succeeded} transition. */
  public static void capture(JdbcClient jdbc, PaymentTransition capture, OffsetDateTime at) {
    jdbc.sql(INSERT)
        .params(
            capture.paymentId(),
            "capture",
            capture.merchantId(),
            capture.paymentId(),
            capture.amountCaptured().currency().getCurrencyCode(),
            capture.amountCaptured().minor(),
            capture.paymentId() + ":capture",
            at)
        .update();
  }

  /** A refund that succeeded. */
  public static void refund(JdbcClient jdbc, RefundTransition refund, OffsetDateTime at) {
    jdbc.sql(INSERT)
        .params(
            refund.refundId(),
            "refund",
            refund.merchantId(),
            refund.paymentId(),
            refund.amount().currency().getCurrencyCode(),
            refund.amount().minor(),
            refund.refundId() + ":refund",
            at)
        .update();
  }
}
