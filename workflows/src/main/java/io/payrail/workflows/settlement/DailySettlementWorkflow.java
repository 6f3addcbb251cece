package io.payrail.workflows.settlement;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Settles one currency's business day: one run of it (docs/settlement.md). Workflow id {@code
 * settlement-<currency>-<business date>-<run number>}, e.g. {@code settlement-USD-2026-11-24-1}.
 */
@WorkflowInterface
public interface DailySettlementWorkflow {

  static String workflowId(String currency, String businessDate, int runNumber) {
    return "settlement-" + currency + "-" + businessDate + "-" + runNumber;
  }

  /** Returns the run's final status ({@code posted}, {@code superseded}, {@code rejected}). */
  @WorkflowMethod
  String settle(SettlementRequest request);
}
