package io.payrail.settlement;

import io.payrail.workflows.settlement.SettlementCalendar;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code payrail.settlement.currencies}: each settlement currency's cut-off and time zone, the same
 * list the api reads to place business days. Defaults (application.yml): USD 22:00
 * America/New_York, EUR 22:00 Europe/Berlin.
 */
@ConfigurationProperties("payrail.settlement")
record SettlementSchedulesProperties(List<SettlementCalendar> currencies) {

  SettlementSchedulesProperties {
    if (currencies == null || currencies.isEmpty()) {
      throw new IllegalArgumentException(
          "payrail.settlement.currencies is empty: no currency would ever settle");
    }
    currencies = List.copyOf(currencies);
  }
}
