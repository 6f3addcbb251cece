package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * One run of a currency's business day.
 *
 * @param businessDate ISO date, e.g. {@code 2026-11-24}
 * @param runNumber 1 for the scheduled run, n+1 for a rerun of run n
 * @param requestedBy who asked for it: {@code schedule} for a scheduled run, the finance user's
 *     subject for a rerun (who may then not approve it)
 * @param reason why a rerun was asked for; null for a scheduled run
 */
public record SettlementRequest(
    SettlementCalendar calendar,
    String businessDate,
    int runNumber,
    String requestedBy,
    String reason) {

  /** The {@code requestedBy} of scheduled runs. */
  public static final String SCHEDULE = "schedule";

  public SettlementRequest {
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(businessDate, "businessDate");
    Objects.requireNonNull(requestedBy, "requestedBy");
    if (runNumber < 1) {
      throw new IllegalArgumentException("runNumber starts at 1");
    }
  }
}
