package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;

/**
 * One change of a payment's status, numbered from 1 per payment. The (paymentId, sequence) pair is
 * the idempotency key of everything recorded or published about it.
 */
public record PaymentTransition(
    String paymentId,
    String merchantId,
    int sequence,
    PaymentStatus from,
    PaymentStatus to,
    Money amount,
    Money amountCaptured,
    String declineCode,
    String reason) {}
