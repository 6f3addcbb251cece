package io.payrail.workflows.payment;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface FraudActivities {

  /**
   * Scores a payment before it reaches the bank. Idempotent: a pure function of its input and the
   * rules in force, so a retry decides alike. Transient failures (rules store unreachable) are
   * retried; nothing is non-retryable.
   */
  FraudDecision assess(FraudCheck check);
}
