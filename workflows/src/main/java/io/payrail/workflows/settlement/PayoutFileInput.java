package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * The file of one run and rail: ids, never rows; the activities read the payouts.
 *
 * @param runId the settlement run's database id
 * @param rail {@code ach} or {@code sepa}
 * @param requestedBy the run's requester ({@link SettlementRequest#requestedBy}), who may not
 *     approve its files
 */
public record PayoutFileInput(
    long runId,
    String currency,
    String businessDate,
    int runNumber,
    String rail,
    String requestedBy) {

  public PayoutFileInput {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(businessDate, "businessDate");
    Objects.requireNonNull(rail, "rail");
    Objects.requireNonNull(requestedBy, "requestedBy");
  }
}
