package io.payrail.workflows.settlement;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * What a currency's Temporal Schedule starts at each cut-off (workflow id prefix {@code
 * settlement-trigger-<currency>}, the schedule appends the nominal time). It reads the business
 * date from the schedule's nominal time (the {@code TemporalScheduledStartTime} search attribute)
 * in the calendar's zone, never from its arguments, and runs that day's {@link
 * DailySettlementWorkflow} (run 1) as a child with the id {@link
 * DailySettlementWorkflow#workflowId}: a second trigger for the same day finds it and starts
 * nothing.
 */
@WorkflowInterface
public interface SettlementTriggerWorkflow {

  static String workflowIdPrefix(String currency) {
    return "settlement-trigger-" + currency;
  }

  /** Returns the id of the settlement run it started or found. */
  @WorkflowMethod
  String trigger(SettlementCalendar calendar);
}
