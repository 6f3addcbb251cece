package io.payrail.workflows.reconciliation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reconciles the bank's settlement report of one currency and day: fetch, ingest once by file hash,
 * match against Payrail's settlement items, then re-check the open breaks daily, alerting operators
 * to those older than the threshold, for a bounded number of days. Workflow id {@link #workflowId},
 * e.g. {@code reconciliation-USD-2026-11-24}; started by finance through {@code POST
 * /staff/v1/reconciliation/reports}, or by a schedule. A second run that fetches the same file does
 * nothing.
 */
@WorkflowInterface
public interface ReconciliationWorkflow {

  static String workflowId(String currency, String reportDate) {
    return "reconciliation-" + currency + "-" + reportDate;
  }

  @WorkflowMethod
  ReconciliationResult reconcile(ReconciliationRequest request);

  /**
   * Where it stands: {@code fetching}, {@code matching}, {@code already_ingested}, {@code
   * breaks_open}, {@code breaks_aged} (some are past the alert threshold), {@code reconciled}. The
   * same value is the {@code SettlementStatus} search attribute.
   */
  @QueryMethod
  String status();
}
