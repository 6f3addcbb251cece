package io.payrail.workflows.refund;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface RefundRecordActivities {

  /**
   * Stores a refund's transition (the refund row, created at sequence 1; the payment's refunded
   * amount once it succeeded; ledger entries; the event in the outbox). Idempotency key: (refundId,
   * sequence); a retry of a stored transition changes nothing. All failures are transient.
   */
  void recordRefund(RefundTransition transition);
}
