package io.payrail.workflows.settlement;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When a currency's business day ends: its cut-off time in its time zone. Business day D holds what
 * occurred from the cut-off of D-1 (inclusive) to the cut-off of D (exclusive). Plain strings, so
 * the payload reads the same in the Temporal UI as in the configuration.
 *
 * @param currency ISO 4217, e.g. {@code USD}
 * @param cutOff {@code HH:mm}, e.g. {@code 22:00}
 * @param timeZone an IANA zone, e.g. {@code America/New_York}
 */
public record SettlementCalendar(String currency, String cutOff, String timeZone) {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public SettlementCalendar {
    Objects.requireNonNull(currency, "currency");
    if (!CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be three capital letters: " + currency);
    }
    try {
      LocalTime.parse(Objects.requireNonNull(cutOff, "cutOff"));
      ZoneId.of(Objects.requireNonNull(timeZone, "timeZone"));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "a settlement calendar needs an HH:mm cut-off and an IANA time zone", e);
    }
  }

  public LocalTime cutOffTime() {
    return LocalTime.parse(cutOff);
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }

  /**
   * The business date a schedule's nominal time names: its date in the calendar's zone (the
   * schedule fires at the cut-off that ends that day). 22:00 America/New_York on 2026-11-24 is
   * 2026-11-25T03:00Z, and names 2026-11-24.
   */
  public LocalDate businessDateAt(Instant nominalTime) {
    return LocalDate.ofInstant(nominalTime, zone());
  }

  /** The cut-off that ends {@code businessDate}: the end (exclusive) of its window. */
  public Instant cutOffOf(LocalDate businessDate) {
    return businessDate.atTime(cutOffTime()).atZone(zone()).toInstant();
  }

  /** The start (inclusive) of {@code businessDate}'s window: the cut-off of the day before. */
  public Instant windowStartOf(LocalDate businessDate) {
    return cutOffOf(businessDate.minusDays(1));
  }
}
