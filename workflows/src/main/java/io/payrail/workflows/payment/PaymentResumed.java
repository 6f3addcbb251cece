package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import java.util.Map;

/**
 * What a captured payment's workflow carries into its next run when it continues as new during the
 * refund window, so that its history stays bounded however many refunds it takes.
 *
 * @param refundWindowEndsAtMillis workflow time at which the window closes: the same deadline in
 *     every run
 * @param recentRefunds the latest refunds' ids and amounts (at most {@link #RECENT_REFUNDS}): a
 *     client retrying a refund that an earlier run took is answered, not refunded twice
 */
public record PaymentResumed(
    int sequence,
    String authorizationId,
    Money amountCaptured,
    long amountRefunded,
    long refundWindowEndsAtMillis,
    Map<String, Long> recentRefunds) {

  public static final int RECENT_REFUNDS = 1_000;
}
