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
   * The business date a nominal time names: the first day whose cut-off is at or after it. At a
   * cut-off, where the schedule fires, that is the day the cut-off ends: 22:00 America/New_York on
   * 2026-11-24 is 2026-11-25T03:00Z, and names 2026-11-24. At any other moment (the schedule
   * triggered by hand, "close the day now") it is the day still open, which that run closes early:
   * at 22:18 New York on the 24th it names the 25th, at 15:00 the 24th. Items of that day that come
   * after its claim are settled by the next run (docs/settlement.md, late items).
   */
  public LocalDate businessDateAt(Instant nominalTime) {
    LocalDate date = LocalDate.ofInstant(nominalTime, zone());
    return cutOffOf(date).isBefore(nominalTime) ? date.plusDays(1) : date;
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
