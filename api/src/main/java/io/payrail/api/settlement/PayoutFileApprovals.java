package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Sends a finance user's approval of a payout file to its {@link PayoutFileWorkflow} ({@code
 * approve} update) through {@link DecisionUpdates}, which maps the workflow's answers as for every
 * decision: 409 {@code approval_refused}, 503 {@code approval_pending}; a file whose workflow is
 * not running is a 404 ({@code payout_file_not_awaiting_approval}): there is nothing to approve.
 */
@Service
class PayoutFileApprovals {

  static final String UPDATE = "approve";

  private final DecisionUpdates updates;

  PayoutFileApprovals(DecisionUpdates updates) {
    this.updates = updates;
  }

  /** Returns the file's status after the approval, as the workflow reports it. */
  String approve(SettlementRunRepository.PayoutFile file, Approval approval) {
    String workflowId =
        PayoutFileWorkflow.workflowId(
            file.currency(), file.businessDate().toString(), file.runNumber(), file.rail());
    return updates
        .send(
            workflowId,
            UPDATE,
            approval,
            new DecisionUpdates.Codes(
                "approval_refused", "approval_pending", "payout file " + file.id()))
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND,
                    ErrorTypes.INVALID_REQUEST,
                    "payout_file_not_awaiting_approval",
                    "Payout file "
                        + file.id()
                        + " is "
                        + file.status()
                        + ": no workflow of it is running, nothing awaits approval",
                    "id"));
  }
}
