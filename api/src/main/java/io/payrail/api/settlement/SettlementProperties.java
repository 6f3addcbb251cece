package io.payrail.api.settlement;

import io.payrail.workflows.settlement.SettlementCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settlement currencies' calendars ({@code payrail.settlement.currencies}, the same list the
 * settlement-schedules deploy step reads): the api needs them to say which terms version is in
 * force on the business day now running.
 */
@ConfigurationProperties("payrail.settlement")
record SettlementProperties(List<SettlementCalendar> currencies) {

  SettlementProperties {
    currencies = currencies == null ? List.of() : List.copyOf(currencies);
  }

  /**
   * The business date that holds an item occurring at {@code now}: business day D ends at the
   * cut-off of D, so after the cut-off the items belong to the next day. A currency without a
   * calendar falls back to the UTC date.
   */
  LocalDate businessDate(String currency, Instant now) {
    for (SettlementCalendar calendar : currencies) {
      if (calendar.currency().equals(currency)) {
        ZonedDateTime local = now.atZone(calendar.zone());
        ZonedDateTime cutOff =
            local.toLocalDate().atTime(calendar.cutOffTime()).atZone(local.getZone());
        return now.isBefore(cutOff.toInstant())
            ? local.toLocalDate()
            : local.toLocalDate().plusDays(1);
      }
    }
    return LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
  }
}
