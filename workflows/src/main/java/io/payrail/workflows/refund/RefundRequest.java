package io.payrail.workflows.refund;

/**
 * A refund the merchant asks for, through the payment's {@code refund} update.
 *
 * @param refundId chosen by the API (reserved by the request's idempotency key)
 * @param amount minor units; null refunds what is left
 * @param reason Stripe's: duplicate, fraudulent, requested_by_customer; or null
 * @param metadata the merchant's keys and values (bounded by the API), or empty
 */
public record RefundRequest(
    String refundId, Long amount, String reason, java.util.Map<String, String> metadata) {

  public RefundRequest(String refundId, Long amount, String reason) {
    this(refundId, amount, reason, java.util.Map.of());
  }
}
