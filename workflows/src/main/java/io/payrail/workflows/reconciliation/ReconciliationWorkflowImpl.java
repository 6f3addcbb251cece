package io.payrail.workflows.reconciliation;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Fetch and ingest, match, then watch: two activity stubs because the bank and the database fail
 * differently (the bank may publish hours late; the database is retried until it answers). The
 * history stays small whatever the report's size: ids and counts only, and one timer and one
 * activity a day for at most {@link ReconciliationRequest#MAX_WATCH_DAYS} days.
 */
public class ReconciliationWorkflowImpl implements ReconciliationWorkflow {

  /** The bank may publish late or be down: fetching is retried for up to six hours. */
  private final ReconciliationActivities fetching =
      Workflow.newActivityStub(
          ReconciliationActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setScheduleToCloseTimeout(Duration.ofHours(6))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(5))
                      .setMaximumInterval(Duration.ofMinutes(10))
                      .setDoNotRetry(
                          ReconciliationActivities.MALFORMED_REPORT,
                          ReconciliationActivities.REPORT_REFUSED)
                      .build())
              .build());

  /** Matching and alerting are database work: retried until the database answers. */
  private final ReconciliationActivities records =
      Workflow.newActivityStub(
          ReconciliationActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(5))
                      .build())
              .build());

  private String status = "fetching";

  @Override
  public ReconciliationResult reconcile(ReconciliationRequest request) {
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.CURRENCY.valueSet(request.currency()),
        PayrailSearchAttributes.BUSINESS_DATE.valueSet(request.reportDate()),
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(status));
    IngestedReport report =
        fetching.ingest(
            request.currency(), request.reportDate(), Workflow.getInfo().getWorkflowId());
    if (!report.firstIngestion() && report.reconciled()) {
      setStatus("already_ingested");
      return new ReconciliationResult(report.reportId(), report.sha256(), status, null, 0);
    }
    setStatus("matching");
    ReconciliationSummary summary = records.match(report.reportId());
    int open = summary.breaks();
    setStatus(open == 0 ? "reconciled" : "breaks_open");
    for (int day = 1; open > 0 && day <= request.watchDays(); day++) {
      Workflow.sleep(Duration.ofDays(1));
      BreakAgeing ageing =
          records.alertAged(
              report.reportId(), Workflow.currentTimeMillis(), request.alertAfterDays());
      open = ageing.open();
      setStatus(open == 0 ? "reconciled" : ageing.aged() > 0 ? "breaks_aged" : "breaks_open");
    }
    return new ReconciliationResult(
        report.reportId(),
        report.sha256(),
        open == 0 ? "reconciled" : "breaks_open",
        summary,
        open);
  }

  @Override
  public String status() {
    return status;
  }

  private void setStatus(String next) {
    status = next;
    Workflow.upsertTypedSearchAttributes(PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(next));
  }
}
