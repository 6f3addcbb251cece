package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * The input of one {@link SettlementBatchWorkflow}: a run and a range of its merchants.
 *
 * @param runId {@code settlement_runs.id}
 * @param businessDate ISO date of the run, which decides the terms in force, the reserves released
 *     and the runs whose payout delay has come
 */
public record SettlementBatch(
    long runId, String currency, String businessDate, MerchantRange merchants) {

  public SettlementBatch {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(businessDate, "businessDate");
    Objects.requireNonNull(merchants, "merchants");
  }
}
