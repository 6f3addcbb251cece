package io.payrail.workflows.payment;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface PaymentRecordActivities {

  /**
   * Stores a transition (payment row, append-only transition, ledger entries) and its event for
   * publication. Idempotency key: (paymentId, sequence); a retry of a stored transition changes
   * nothing. All failures are transient and retried.
   */
  void record(PaymentTransition transition);
}
