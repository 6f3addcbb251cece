package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;

/** What the risk check looks at: the amount, the card's BIN (never its number) and the email. */
public record FraudCheck(
    String paymentId, String merchantId, Money amount, String cardBin, String customerEmail) {}
