package io.payrail.activities.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowPrivateAddresses deliver to loopback, private and link-local addresses (the local
 *     profile and the tests; never in production, where it would let a merchant reach Payrail's own
 *     network)
 * @param allowHttp deliver to {@code http://} URLs (the local profile); production needs https
 * @param timeout the whole POST, answer included
 * @param disableAfter an endpoint whose every attempt failed this long is disabled
 * @param firstRetry the pause after a delivery's first failed attempt; it doubles after each
 * @param maxInterval the longest pause between attempts
 * @param giveUpAfter a delivery still failing this long after its first attempt ends {@code failed}
 *     (its last attempt falls on this deadline)
 * @param jitter how much each pause varies either way, as a fraction
 */
@ConfigurationProperties("payrail.webhooks")
public record WebhookProperties(
    @DefaultValue("false") boolean allowPrivateAddresses,
    @DefaultValue("false") boolean allowHttp,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("5d") Duration disableAfter,
    @DefaultValue("1m") Duration firstRetry,
    @DefaultValue("6h") Duration maxInterval,
    @DefaultValue("3d") Duration giveUpAfter,
    @DefaultValue("0.2") double jitter) {

  public io.payrail.workflows.webhook.DeliverySchedule schedule() {
    return new io.payrail.workflows.webhook.DeliverySchedule(
        firstRetry, maxInterval, giveUpAfter, jitter);
  }
}
