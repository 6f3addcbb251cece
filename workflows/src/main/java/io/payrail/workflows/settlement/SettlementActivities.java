package io.payrail.workflows.settlement;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The run-level steps of {@link DailySettlementWorkflow}, on the {@code settlement} task queue.
 * Every method is idempotent: a retry, or the same run started again, changes nothing more.
 */
@ActivityInterface
public interface SettlementActivities {

  /**
   * Finds or creates the run of {@code (currency, business date, run number)} with its window from
   * the calendar ({@code [cut-off of D-1, cut-off of D)}), status {@code computing}. Key: the
   * unique (currency, business_date, run_number). Non-retryable: none.
   */
  OpenedRun openRun(SettlementRequest request);

  /**
   * Claims the run's window (V14, docs/settlement.md): the window's items are the run's without a
   * write to each; items of merchants without terms in force in the run's currency are left to a
   * later run (marked late), and late items of earlier windows of merchants with terms are settled
   * by this run item by item; both alerted (logged at ERROR, {@code settlement.alert}). Once per
   * run ({@code claimed_at}): executed again, after the figures are computed, it adds nothing. A
   * window overlapping another claimed one of the currency is refused by the schema.
   *
   * @return the number of items the run holds
   */
  long claim(long runId);

  /**
   * Cuts the run's merchants (those with terms in force in its currency) into at most {@code
   * maxBatches} ranges of about {@code batchSize}; more merchants make bigger batches, never more
   * of them, which bounds the run's history. Reads only.
   */
  List<MerchantRange> plan(long runId, int batchSize, int maxBatches);

  /** Sets the run's status (and {@code completed_at} once {@code posted}). Idempotent. */
  void setStatus(long runId, String status);

  /** The rails ({@code ach}, {@code sepa}) the run created pending payouts on. Reads only. */
  List<String> railsWithPayouts(long runId);
}
