package io.payrail.activities.fraud;

import io.payrail.workflows.common.Money;
import java.util.Currency;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The risk rules ({@code payrail.fraud}). Every setting has a default, so an empty configuration
 * gives a working (if permissive) rule set.
 *
 * <pre>
 * payrail:
 *   fraud:
 *     max-amount:              # per ISO 4217 code, in minor units; merged over the defaults
 *       USD: 500000            # 5,000.00 USD
 *       CHF: 1000000
 *     default-max-amount: 1000000
 *     blocked-bins: [400000, 411111]
 *     blocked-emails: [fraudster@example.com]
 *     blocked-email-domains: [mailinator.com]
 * </pre>
 *
 * @param maxAmount the largest amount a payment may have, per currency, in minor units. Entries
 *     configured here replace the default of their currency only; the defaults are {@link
 *     #DEFAULT_MAX_AMOUNTS} (about 10,000 US dollars each).
 * @param defaultMaxAmount the limit of a currency {@code maxAmount} does not list, in its minor
 *     units; default {@value #DEFAULT_MAX_AMOUNT}. Minor units are worth very different sums across
 *     currencies (1,000,000 is 10,000.00 dollars but 10,000.00 rupiah, under a dollar), so list
 *     every currency the deployment accepts: this fallback keeps an unlisted currency limited
 *     rather than unlimited.
 * @param blockedBins card BINs (the first six digits) to refuse
 * @param blockedEmails customer emails to refuse, compared ignoring case
 * @param blockedEmailDomains email domains to refuse, with their subdomains: {@code example.com}
 *     blocks {@code a@example.com} and {@code a@mail.example.com}
 */
@ConfigurationProperties("payrail.fraud")
public record FraudRulesProperties(
    Map<String, Long> maxAmount,
    Long defaultMaxAmount,
    Set<String> blockedBins,
    Set<String> blockedEmails,
    Set<String> blockedEmailDomains) {

  /** 10,000.00 in a currency with two decimals. */
  public static final long DEFAULT_MAX_AMOUNT = 1_000_000;

  /** About 10,000 US dollars in each of the currencies most payments use. */
  public static final Map<String, Long> DEFAULT_MAX_AMOUNTS =
      Map.of(
          "USD", 1_000_000L, // 10,000.00
          "EUR", 1_000_000L, // 10,000.00
          "GBP", 1_000_000L, // 10,000.00
          "JPY", 1_500_000L); // 1,500,000 (the yen has no minor unit)

  public FraudRulesProperties {
    maxAmount = withDefaults(maxAmount == null ? Map.of() : maxAmount);
    defaultMaxAmount = requirePositive("default-max-amount", defaultMaxAmount, DEFAULT_MAX_AMOUNT);
    blockedBins = blockedBins == null ? Set.of() : Set.copyOf(blockedBins);
    for (String bin : blockedBins) {
      if (!bin.matches("[0-9]{6}")) {
        throw new IllegalArgumentException("blocked-bins: each must be 6 digits, not " + bin);
      }
    }
    blockedEmails = lowerCase(blockedEmails);
    blockedEmailDomains =
        lowerCase(blockedEmailDomains).stream()
            .map(domain -> domain.startsWith("@") ? domain.substring(1) : domain)
            .collect(Collectors.toUnmodifiableSet());
  }

  /** The defaults alone: what an empty {@code payrail.fraud} gives. */
  public static FraudRulesProperties defaults() {
    return new FraudRulesProperties(null, null, null, null, null);
  }

  /** The limit for {@code currency}, in its minor units. */
  public long maxAmountOf(Currency currency) {
    return maxAmount.getOrDefault(currency.getCurrencyCode(), defaultMaxAmount);
  }

  private static Map<String, Long> withDefaults(Map<String, Long> configured) {
    Map<String, Long> limits = new HashMap<>(DEFAULT_MAX_AMOUNTS);
    // Keys arrive in the case they were written in (environment variables: lower case).
    configured.forEach(
        (code, limit) -> {
          String currency = Money.currency(code.toUpperCase(Locale.ROOT)).getCurrencyCode();
          limits.put(currency, requirePositive("max-amount." + code, limit, null));
        });
    return Map.copyOf(limits);
  }

  private static long requirePositive(String name, Long value, Long fallback) {
    if (value == null && fallback != null) {
      return fallback;
    }
    if (value == null || value <= 0) {
      throw new IllegalArgumentException(name + " must be a positive number of minor units");
    }
    return value;
  }

  private static Set<String> lowerCase(Set<String> values) {
    return values == null
        ? Set.of()
        : values.stream()
            .map(value -> value.strip().toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }
}
