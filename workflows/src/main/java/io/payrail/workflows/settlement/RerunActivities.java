package io.payrail.workflows.settlement;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * The steps of a finance rerun (run n+1 of a day, beside run n), on the {@code settlement} task
 * queue. Nothing posts before {@link #applyRerun}, which runs only after a second finance user's
 * approval. Every method is idempotent.
 */
@ActivityInterface
public interface RerunActivities {

  /** ApplicationFailure type: the run this rerun would supersede is not posted (or missing). */
  String NOT_RERUNNABLE = "NotRerunnable";

  /** ApplicationFailure type: the rerun was decided otherwise (rejected, or applied by another). */
  String ALREADY_DECIDED = "RerunAlreadyDecided";

  /**
   * ApplicationFailure type: the day's items changed between the rerun's computation and its
   * approval (an item committed late): applying would settle items the approved figures do not
   * hold. Nothing is applied; reject the rerun and ask for a new one.
   */
  String STALE = "RerunStale";

  /**
   * Fails with the non-retryable {@link #STALE} when the rerun no longer holds what its approval
   * would settle (the day's items changed since it was computed, or another run has released since
   * a reserve it releases); returns otherwise. Reads only: the approval's handler asks it before
   * accepting an approval, so a stale rerun is refused to the approver and nothing is voided.
   */
  void requireFresh(long rerunId);

  /**
   * Finds or creates the {@code settlement_runs} row of run n+1 ({@code supersedes_run_id} = run n,
   * same window, status {@code computing}) and, when it creates it, the audit record {@code
   * settlement_rerun.requested} with the requester as actor. Key: (currency, business date, run
   * number). It supersedes the day's latest posted run, which only rejected reruns may follow (run
   * n+2 after a rejected n+1). Non-retryable {@link #NOT_RERUNNABLE} when there is none.
   */
  OpenedRun openRerun(SettlementRequest request);

  /**
   * Computes the rerun's {@code merchant_settlements} over the items run n settled plus the day's
   * unsettled items of merchants with terms in force, with the terms in force now: claims nothing,
   * posts nothing, then sets the run {@code awaiting_approval}. Key: (run, merchant).
   */
  void computeRerun(long rerunId);

  /**
   * The workflow ids of run n's payout files that may still be voided: files not yet approved, and
   * rails of pending payouts with no file yet. Reads only.
   */
  List<String> voidablePayoutFiles(long rerunId);

  /**
   * Returns once none of run n's payout files is still generated or validated (each was voided by
   * its workflow, or approved before the void came); fails, to be retried, while one is. Reads
   * only.
   */
  void awaitPayoutFilesDecided(long rerunId);

  /**
   * In one transaction: moves run n's items to the rerun and claims the unsettled ones it computed;
   * posts {@code settlement_adjustment} entries (key {@code adjustment:<rerun id>:<merchant>}, the
   * difference rerun - run n, into {@code merchant_available} when run n's net was already made
   * available, else {@code merchant_pending}); voids run n's payouts still pending (entry {@code
   * payout_return:<payout id>}); marks run n {@code superseded} and the rerun {@code posting}; and
   * writes {@code settlement_rerun.approved} with the approver as actor. A second attempt of the
   * same approval finds the rerun applied and changes nothing. Non-retryable {@link
   * #ALREADY_DECIDED} when the rerun was rejected.
   */
  void applyRerun(long rerunId, Approval approval);

  /**
   * Marks the rerun {@code rejected} and writes {@code settlement_rerun.rejected} with the finance
   * user as actor; run n is untouched. Idempotent. Non-retryable {@link #ALREADY_DECIDED} when the
   * rerun was applied.
   */
  void rejectRerun(long rerunId, Approval rejection);
}
