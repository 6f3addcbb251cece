package io.payrail.api.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention how long a key's first response is replayed (Stripe keeps 24 hours)
 * @param lock how long a request holds its key; longer than any request runs, so only a holder that
 *     died loses it, and a retry then completes its work
 */
@ConfigurationProperties("payrail.idempotency")
record IdempotencyProperties(
    @DefaultValue("24h") Duration retention, @DefaultValue("90s") Duration lock) {}
