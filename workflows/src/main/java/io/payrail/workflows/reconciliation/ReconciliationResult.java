package io.payrail.workflows.reconciliation;

/**
 * How a reconciliation ended.
 *
 * @param status {@code already_ingested} (the same file was reconciled before: nothing done),
 *     {@code reconciled} (no break left open), or {@code breaks_open} (breaks still open when the
 *     watch ended; they stay in the finance API)
 * @param summary what matching found; null when the file was already ingested
 * @param openBreaks breaks of the report still open at the end
 */
public record ReconciliationResult(
    String reportId, String sha256, String status, ReconciliationSummary summary, int openBreaks) {}
