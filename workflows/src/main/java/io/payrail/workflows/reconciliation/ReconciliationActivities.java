package io.payrail.workflows.reconciliation;

import io.temporal.activity.ActivityInterface;

/** The reconciliation's database and bank work; ids and counts cross, never report lines. */
@ActivityInterface
public interface ReconciliationActivities {

  /** The failure type of a report file that cannot be read: non-retryable. */
  String MALFORMED_REPORT = "malformed_report";

  /** The failure type of a report request the bank refuses for good (4xx): non-retryable. */
  String REPORT_REFUSED = "report_refused";

  /**
   * Fetches the bank's settlement report of {@code reportDate} in {@code currency} (HTTP, with
   * connect and request timeouts) and stores the file and each of its lines once, keyed by the day,
   * the currency and the file's SHA-256: a repeat, or another workflow fetching the same bytes,
   * finds the stored report and stores nothing. A bank that cannot be reached is retryable; a file
   * that is not a settlement report fails with the non-retryable type {@value #MALFORMED_REPORT}, a
   * request the bank refuses with {@value #REPORT_REFUSED}.
   *
   * @param workflowId recorded with the report, to find the workflow from the API
   */
  IngestedReport ingest(String currency, String reportDate, String workflowId);

  /**
   * Matches each line of the report against Payrail's settlement items by bank reference (and the
   * item's capture or refund journal entry), records each line's outcome and opens the breaks:
   * missing, unexpected, amount mismatch, duplicate. Idempotent by report: one transaction, breaks
   * unique per (report, kind, reference), and a reconciled report is only read back. It also
   * resolves open {@code missing} breaks of other days that this report explains, and the open
   * breaks of an earlier file of the same day, which this one supersedes.
   */
  ReconciliationSummary match(String reportId);

  /**
   * Alerts operators (a WARN log line per break, bounded) to the report's breaks open for more than
   * {@code alertAfterDays} at {@code asOfMillis} (the workflow's time), and records the alert on
   * them. Idempotent by {@code asOfMillis}: a retry alerts nothing twice.
   */
  BreakAgeing alertAged(String reportId, long asOfMillis, int alertAfterDays);
}
