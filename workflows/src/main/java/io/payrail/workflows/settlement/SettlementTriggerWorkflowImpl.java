package io.payrail.workflows.settlement;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.OffsetDateTime;

/**
 * Reads the business date from the schedule's nominal time and runs that day's run 1, waiting for
 * it, so the schedule sees a failed day as a failed action. The child id is the run's business
 * identity and may never be reused: a second trigger of the same day (a catch-up, a manual trigger
 * of the schedule) finds it and starts nothing.
 */
public class SettlementTriggerWorkflowImpl implements SettlementTriggerWorkflow {

  /** Set by the server on every workflow a schedule starts: the action's nominal time. */
  static final SearchAttributeKey<OffsetDateTime> SCHEDULED_START_TIME =
      SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");

  /** The failure type of a trigger started by hand, without a nominal time. */
  public static final String NOT_SCHEDULED = "NotStartedBySchedule";

  @Override
  public String trigger(SettlementCalendar calendar) {
    OffsetDateTime nominal = Workflow.getTypedSearchAttributes().get(SCHEDULED_START_TIME);
    if (nominal == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a settlement trigger runs from its currency's schedule (no TemporalScheduledStartTime);"
              + " to settle a day by hand start DailySettlementWorkflow with its business date",
          NOT_SCHEDULED);
    }
    String businessDate = calendar.businessDateAt(nominal.toInstant()).toString();
    String runId = DailySettlementWorkflow.workflowId(calendar.currency(), businessDate, 1);
    DailySettlementWorkflow run =
        Workflow.newChildWorkflowStub(
            DailySettlementWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(runId)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                // a run outlives a trigger terminated by an operator
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Promise<String> result =
        Async.function(
            run::settle,
            new SettlementRequest(calendar, businessDate, 1, SettlementRequest.SCHEDULE, null));
    try {
      Workflow.getWorkflowExecution(run).get();
    } catch (ChildWorkflowFailure e) {
      if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
        Workflow.getLogger(SettlementTriggerWorkflowImpl.class)
            .info("{} already exists: nothing started", runId);
        return runId;
      }
      throw e;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return runId;
    }
    result.get();
    return runId;
  }
}
