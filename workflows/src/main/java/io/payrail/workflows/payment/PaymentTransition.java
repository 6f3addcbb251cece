package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;

/**
 * One change of a payment's status, numbered from 1 per payment. The (paymentId, sequence) pair is
 * the idempotency key of everything recorded or published about it.
 *
 * @param amountCaptured what the bank captured so far (zero until {@code succeeded})
 * @param authorizationId the bank's authorization, once there is one
 * @param declineCode the issuer's or the risk check's code when {@code failed}
 * @param failureMessage a message for people when {@code failed}
 * @param cancellationReason the merchant's reason, or {@code expired}, when {@code canceled}
 */
public record PaymentTransition(
    String paymentId,
    String merchantId,
    int sequence,
    PaymentStatus from,
    PaymentStatus to,
    Money amount,
    Money amountCaptured,
    String authorizationId,
    String declineCode,
    String failureMessage,
    String cancellationReason) {}
