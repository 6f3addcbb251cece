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
   * Claims for the run, in one set-based statement, every unsettled item of its currency and window
   * whose merchant has terms in force on the business date in that currency; items of merchants
   * without such terms stay unclaimed and are alerted (logged at ERROR, {@code settlement.alert}).
   * Idempotent: an item is claimed once ({@code settled_run_id} from null).
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
