package io.payrail.platform.payment;

import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A payment as merchants see it: the body of {@code GET /v1/payments/{id}} and the {@code
 * data.object} of every payment event, so the two can never disagree. Amounts are minor units of
 * {@code currency} (lower case, as Stripe writes it); {@code created} is Unix seconds.
 *
 * @param refunded whether the whole captured amount has been refunded
 * @param declineCode why the payment failed: the issuer's code ({@code insufficient_funds}) or the
 *     risk rule's ({@code blocked_bin}); null unless {@code failed}
 * @param failureMessage the same, for people
 * @param cancellationReason the merchant's reason, or {@code expired}; null unless {@code canceled}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PaymentObject(
    String id,
    String object,
    long amount,
    long amountCaptured,
    long amountRefunded,
    boolean refunded,
    String currency,
    String status,
    String captureMethod,
    Card card,
    String description,
    String statementDescriptor,
    Map<String, String> metadata,
    String customerEmail,
    String declineCode,
    String failureMessage,
    String cancellationReason,
    long created,
    boolean livemode) {

  /** The card, as far as it may be shown: never its number. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Card(
      String token,
      String brand,
      String bin,
      String last4,
      int expMonth,
      int expYear,
      String fingerprint) {}
}
