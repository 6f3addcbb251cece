package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import java.time.Duration;

/**
 * Everything a payment workflow starts from. The card travels as a vault token, never as a number.
 *
 * @param authorizationValidity how long an uncaptured authorization is kept before it is voided
 *     with cancellation reason {@code expired} (7 days unless configured otherwise)
 * @param refundWindow how long a captured payment's workflow stays open to take refunds (180 days
 *     unless configured otherwise); it waits on a durable timer, holding no worker thread
 * @param resumed null for a new payment; the state of a captured payment whose workflow continued
 *     as new
 */
public record PaymentInput(
    String paymentId,
    String merchantId,
    Money amount,
    CaptureMethod captureMethod,
    String cardToken,
    String cardBin,
    String customerEmail,
    Duration authorizationValidity,
    Duration refundWindow,
    PaymentResumed resumed) {

  /** A new payment. */
  public PaymentInput(
      String paymentId,
      String merchantId,
      Money amount,
      CaptureMethod captureMethod,
      String cardToken,
      String cardBin,
      String customerEmail,
      Duration authorizationValidity,
      Duration refundWindow) {
    this(
        paymentId,
        merchantId,
        amount,
        captureMethod,
        cardToken,
        cardBin,
        customerEmail,
        authorizationValidity,
        refundWindow,
        null);
  }

  /** The same payment, to be continued from {@code state}. */
  public PaymentInput resumedAs(PaymentResumed state) {
    return new PaymentInput(
        paymentId,
        merchantId,
        amount,
        captureMethod,
        cardToken,
        cardBin,
        customerEmail,
        authorizationValidity,
        refundWindow,
        state);
  }
}
