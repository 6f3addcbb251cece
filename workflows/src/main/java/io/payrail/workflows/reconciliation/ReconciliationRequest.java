package io.payrail.workflows.reconciliation;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which report to reconcile, and how long its breaks are watched.
 *
 * @param currency ISO 4217, e.g. {@code USD}
 * @param reportDate the bank's settlement day, ISO ({@code 2026-11-24})
 * @param alertAfterDays an open break older than this many days is alerted to operators, again
 *     every day it stays open
 * @param watchDays how many daily re-checks the workflow makes before it ends (bounds its history;
 *     breaks still open then stay listed in the finance API)
 */
public record ReconciliationRequest(
    String currency, String reportDate, int alertAfterDays, int watchDays) {

  /** Alerts after three days, watches two weeks. */
  public static final int DEFAULT_ALERT_AFTER_DAYS = 3;

  public static final int DEFAULT_WATCH_DAYS = 14;

  /** The most daily re-checks one workflow makes: about six history events each. */
  public static final int MAX_WATCH_DAYS = 60;

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  public ReconciliationRequest {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(reportDate, "reportDate");
    if (!CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be three capital letters: " + currency);
    }
    try {
      LocalDate.parse(reportDate);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("reportDate must be YYYY-MM-DD: " + reportDate, e);
    }
    if (alertAfterDays < 1 || alertAfterDays > MAX_WATCH_DAYS) {
      throw new IllegalArgumentException("alertAfterDays must be 1 to " + MAX_WATCH_DAYS);
    }
    if (watchDays < 0 || watchDays > MAX_WATCH_DAYS) {
      throw new IllegalArgumentException("watchDays must be 0 to " + MAX_WATCH_DAYS);
    }
  }

  public static ReconciliationRequest of(String currency, String reportDate) {
    return new ReconciliationRequest(
        currency, reportDate, DEFAULT_ALERT_AFTER_DAYS, DEFAULT_WATCH_DAYS);
  }
}
