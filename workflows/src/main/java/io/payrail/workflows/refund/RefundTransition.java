package io.payrail.workflows.refund;

import io.payrail.workflows.common.Money;

/**
 * One change of a refund's status, numbered from 1 ({@code pending}, which creates the refund). The
 * (refundId, sequence) pair is the idempotency key of what is stored and published about it.
 */
public record RefundTransition(
    String refundId,
    String paymentId,
    String merchantId,
    int sequence,
    RefundStatus from,
    RefundStatus to,
    Money amount,
    String reason,
    String failureCode,
    java.util.Map<String, String> metadata) {}
