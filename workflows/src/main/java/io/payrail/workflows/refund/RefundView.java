package io.payrail.workflows.refund;

import io.payrail.workflows.common.Money;

/** A refund as its workflow sees it; {@code failureCode} is the bank's reason when failed. */
public record RefundView(
    String refundId, String paymentId, RefundStatus status, Money amount, String failureCode) {}
