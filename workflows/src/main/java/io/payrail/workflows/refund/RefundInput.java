package io.payrail.workflows.refund;

import io.payrail.workflows.common.Money;

/** Everything a refund workflow needs: which payment, which authorization, how much. */
public record RefundInput(
    String refundId,
    String paymentId,
    String merchantId,
    String authorizationId,
    Money amount,
    String reason) {}
