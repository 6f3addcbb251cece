package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import io.temporal.activity.ActivityInterface;

/**
 * The acquiring bank. Every method's idempotency key is its {@code requestId}, which the bank
 * deduplicates on: every retry of an activity sends the same id, so the bank acts at most once.
 *
 * <p>Failures: a decline or a refusal is a {@link BankResult}, not a failure. A bank that did not
 * process the request (unreachable, 5xx) fails the attempt with a retryable error. A request that
 * reached the bank but got no answer fails with the non-retryable {@link #OUTCOME_UNKNOWN}: the
 * workflow then asks {@link #inquire} instead of guessing.
 */
@ActivityInterface
public interface BankActivities {

  /** ApplicationFailure type of a request whose outcome at the bank is unknown. */
  String OUTCOME_UNKNOWN = "BankOutcomeUnknown";

  /** Authorizes the card behind {@code cardToken}. Key: {@code requestId}. */
  BankResult authorize(String requestId, Money amount, String cardToken);

  /** Captures up to the authorized amount; the rest is released. Key: {@code requestId}. */
  BankResult capture(String requestId, String authorizationId, Money amount);

  /** Voids an uncaptured authorization. Key: {@code requestId}. */
  BankResult voidAuthorization(String requestId, String authorizationId);

  /** Refunds part of a capture; the bank refuses more than is left. Key: {@code requestId}. */
  BankResult refund(String requestId, String authorizationId, Money amount);

  /** What became of {@code requestId} at the bank. Read-only, so any retry is safe. */
  BankInquiry inquire(String requestId);
}
