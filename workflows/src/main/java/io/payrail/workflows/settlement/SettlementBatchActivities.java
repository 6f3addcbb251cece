package io.payrail.workflows.settlement;

import io.temporal.activity.ActivityInterface;

/**
 * The steps of one {@link SettlementBatchWorkflow}, kept apart so that a rerun can compute a day
 * beside its first run without claiming or posting anything. Each runs in one transaction and is
 * idempotent.
 */
@ActivityInterface
public interface SettlementBatchActivities {

  /**
   * Computes {@code merchant_settlements} of the run for the batch's merchants with {@link FeePlan}
   * and the terms in force on the business date: the items the run settled, and the reserve held
   * {@code reserve_hold_days} ago. Key: (run id, merchant id); a row already there is kept. Writes
   * no ledger entry.
   *
   * @return how many merchant settlements the batch has
   */
  int compute(SettlementBatch batch);

  /**
   * Posts, in one transaction, the batch's {@code settlement} entries (key {@code settlement:<run
   * id>:<merchant>}) and the {@code availability} entries of every posted run whose business date +
   * payout delay has come (key {@code available:<run id>:<merchant>}).
   */
  void post(SettlementBatch batch);

  /**
   * Creates a {@code pending} payout for each merchant of the batch whose {@code
   * merchant_available} balance is positive and at least the minimum payout, with its {@code
   * payout} entry, in one transaction. Key: (run id, merchant id).
   *
   * @return how many payouts the batch has
   */
  int createPayouts(SettlementBatch batch);
}
