package io.payrail.activities.bank;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the acquiring bank is and how long to wait for it ({@code payrail.bank}).
 *
 * @param url the bank's base URL, required ({@code http://bank:8090})
 * @param connectTimeout how long to wait for a connection; a request that could not connect was not
 *     processed and is retried. Default 2 s.
 * @param requestTimeout how long to wait for the answer to a sent request; past it the outcome is
 *     unknown and is resolved by inquiry. Default 10 s.
 */
@ConfigurationProperties("payrail.bank")
public record BankProperties(URI url, Duration connectTimeout, Duration requestTimeout) {

  public BankProperties {
    Objects.requireNonNull(url, "payrail.bank.url is required");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
  }
}
