package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.RunStatus;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Sends a finance user's decision on a rerun to its {@code DailySettlementWorkflow} ({@code
 * approve} or {@code reject} update) through {@link DecisionUpdates}, which maps the workflow's
 * answers as for every decision: 409 {@code decision_refused}, 503 {@code decision_pending}. The
 * workflow decides (maker-checker, state) and its activity writes the audit record with the decider
 * as actor.
 *
 * <p>An approval of a rerun whose figures no longer hold the day (an item committed, or a reserve
 * released by another run, after it was computed) is refused by the approval's handler before
 * anything is voided: 409 {@code rerun_stale}. A rerun whose workflow has ended without deciding it
 * (an item committed between that check and the approval's transaction failed it) stays {@code
 * awaiting_approval} with no one to decide it: its rejection is recorded here ({@link
 * Reruns#rejectEnded}), so a new rerun of the day can be asked for.
 */
@Service
class RerunDecisions {

  /** The statuses of a rerun not decided yet: its workflow, if running, decides it. */
  private static final Set<String> UNDECIDED =
      Set.of(RunStatus.COMPUTING, RunStatus.AWAITING_APPROVAL);

  private final DecisionUpdates updates;
  private final Reruns reruns;

  RerunDecisions(DecisionUpdates updates, Reruns reruns) {
    this.updates = updates;
    this.reruns = reruns;
  }

  /**
   * Sends {@code decision} ({@code approve} or {@code reject}) and returns the workflow's answer
   * ({@code approved}, {@code rejected}).
   */
  String decide(SettlementRunRepository.Run run, String decision, Approval approval) {
    return updates
        .send(
            run.workflowId(),
            decision,
            approval,
            new DecisionUpdates.Codes(
                "decision_refused", "decision_pending", "rerun " + run.workflowId()))
        .orElseGet(() -> notRunning(run, decision, approval));
  }

  private String notRunning(SettlementRunRepository.Run run, String decision, Approval approval) {
    if ("reject".equals(decision)
        && UNDECIDED.contains(run.status())
        && reruns.rejectEnded(run.id(), approval.note())) {
      return RunStatus.REJECTED;
    }
    throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorTypes.INVALID_REQUEST,
        "settlement_run_not_awaiting_approval",
        "Run "
            + run.workflowId()
            + " is "
            + run.status()
            + ": no workflow of it is running, nothing awaits a decision",
        "id");
  }
}
