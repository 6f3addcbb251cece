package io.payrail.api.payment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param authorizationValidity how long an uncaptured authorization is held before it is voided
 *     with reason {@code expired}
 * @param refundWindow how long a captured payment takes refunds
 * @param authorizationWait how long {@code POST /v1/payments} waits for the bank's answer before it
 *     answers with the payment still {@code processing}
 */
@ConfigurationProperties("payrail.payments")
record PaymentProperties(
    @DefaultValue("7d") Duration authorizationValidity,
    @DefaultValue("180d") Duration refundWindow,
    @DefaultValue("30s") Duration authorizationWait) {}
