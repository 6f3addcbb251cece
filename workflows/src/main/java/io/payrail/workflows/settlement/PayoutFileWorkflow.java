package io.payrail.workflows.settlement;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One bank file of one settlement run and rail (ACH for USD, SEPA for EUR): generate, validate,
 * approval by a finance user other than the run's requester, transmit, acknowledgement, payouts
 * paid or returned. Workflow id {@link #workflowId}; started by {@link DailySettlementWorkflow}.
 */
@WorkflowInterface
public interface PayoutFileWorkflow {

  static String workflowId(String currency, String businessDate, int runNumber, String rail) {
    return "payout-file-" + currency + "-" + businessDate + "-" + runNumber + "-" + rail;
  }

  /** Returns the file's final status ({@code acknowledged}, {@code rejected}, {@code voided}). */
  @WorkflowMethod
  String run(PayoutFileInput input);

  /**
   * Approves the file for transmission. Refused (the update fails, nothing changes) when the
   * approver is the user who requested the run, or the file is not awaiting approval.
   *
   * @return the file's status after the approval
   */
  @UpdateMethod
  String approve(Approval approval);

  /**
   * Refuses, before anything is written to the history, an approval by the run's requester or one
   * that comes while the file is not awaiting approval.
   */
  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(Approval approval);

  /**
   * Voids the file when it has not been approved yet (a finance rerun replaces its run): the file
   * and its pending payouts become {@code voided}, their amounts go back to the merchants'
   * available balances, and the workflow ends {@code voided}. A signal, not an update, because the
   * rerun's workflow sends it (a workflow can signal another, not update it); a file already
   * approved or sent ignores it, and the rerun carries its difference into the next payout.
   */
  @SignalMethod
  void voidFile(String reason);
}
