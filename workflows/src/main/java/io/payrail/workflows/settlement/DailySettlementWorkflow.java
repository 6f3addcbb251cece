package io.payrail.workflows.settlement;

import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Settles one currency's business day: one run of it (docs/settlement.md). Workflow id {@code
 * settlement-<currency>-<business date>-<run number>}, e.g. {@code settlement-USD-2026-11-24-1}.
 *
 * <p>Run 1 is the scheduled run and posts at once. Run n+1 is a finance rerun of run n: it is
 * computed beside run n, waits for a second finance user's {@code approve} (or a {@code reject}),
 * and only then moves the day's items and posts the difference as adjustments. From the CLI:
 *
 * <pre>{@code
 * temporal workflow update execute --namespace payrail \
 *   --workflow-id settlement-USD-2026-11-24-2 --name approve \
 *   --input '{"approver":"<keycloak subject>","note":"fees checked"}'
 * }</pre>
 */
@WorkflowInterface
public interface DailySettlementWorkflow {

  static String workflowId(String currency, String businessDate, int runNumber) {
    return "settlement-" + currency + "-" + businessDate + "-" + runNumber;
  }

  /** Returns the run's final status ({@code posted}, {@code rejected}). */
  @WorkflowMethod
  String settle(SettlementRequest request);

  /**
   * Approves a rerun awaiting approval; the workflow then applies it (adjustments, voided and
   * regenerated payouts) and its activity writes the audit record with the approver as actor.
   *
   * @return {@code approved}
   */
  @UpdateMethod
  String approve(Approval approval);

  /**
   * Refuses, before anything reaches the history, an approval by the rerun's requester
   * (maker-checker) or one that comes while the run is not awaiting approval (a scheduled run, a
   * rerun still computing, or one already decided).
   */
  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(Approval approval);

  /**
   * Rejects a rerun awaiting approval: run n stays as it was, the rerun ends {@code rejected}.
   *
   * @return {@code rejected}
   */
  @UpdateMethod
  String reject(Approval rejection);

  /** Refuses a rejection while the run is not awaiting approval. */
  @UpdateValidatorMethod(updateName = "reject")
  void validateReject(Approval rejection);
}
