package io.payrail.workflows.reconciliation;

/**
 * A report file stored once by its hash: its id and figures, never its lines.
 *
 * @param firstIngestion whether this call stored it; false when a file with the same SHA-256 was
 *     already there (then nothing was stored again)
 * @param reconciled whether its lines have been matched already
 */
public record IngestedReport(
    String reportId,
    String sha256,
    int lineCount,
    long totalGross,
    boolean firstIngestion,
    boolean reconciled) {}
