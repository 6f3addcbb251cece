package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import java.time.Duration;

/**
 * Everything a payment workflow starts from. The card travels as a vault token, never as a number.
 *
 * @param authorizationValidity how long an uncaptured authorization is kept before it is voided
 *     with cancellation reason {@code expired} (7 days unless configured otherwise)
 * @param refundWindow how long a captured payment's workflow stays open to take refunds (180 days
 *     unless configured otherwise); it waits on a durable timer, holding no worker thread
 */
public record PaymentInput(
    String paymentId,
    String merchantId,
    Money amount,
    CaptureMethod captureMethod,
    String cardToken,
    String cardBin,
    String customerEmail,
    Duration authorizationValidity,
    Duration refundWindow) {}
