package io.payrail.workflows.settlement;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Settles one batch of merchants of a run: computes their figures, posts their ledger entries and
 * creates their payouts. A child of {@link DailySettlementWorkflow}, id {@link #workflowId}.
 */
@WorkflowInterface
public interface SettlementBatchWorkflow {

  static String workflowId(String runWorkflowId, int batchIndex) {
    return runWorkflowId + "-batch-" + batchIndex;
  }

  /** Returns how many payouts the batch created. */
  @WorkflowMethod
  int settleBatch(SettlementBatch batch);
}
