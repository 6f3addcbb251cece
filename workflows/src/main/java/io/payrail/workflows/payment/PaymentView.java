package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;

/**
 * A payment as its workflow sees it now: what the API returns from an update or a query.
 *
 * @param declineCode the issuer's or the risk check's reason when {@code failed}, else null
 * @param cancellationReason the merchant's reason, or {@code expired}, when {@code canceled}
 * @param amountRefunded what refunds that succeeded gave back
 */
public record PaymentView(
    String paymentId,
    PaymentStatus status,
    Money amount,
    Money amountCaptured,
    String authorizationId,
    String declineCode,
    String failureMessage,
    String cancellationReason,
    Money amountRefunded) {}
