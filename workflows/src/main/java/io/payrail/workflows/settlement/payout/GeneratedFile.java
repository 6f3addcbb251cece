package io.payrail.workflows.settlement.payout;

/**
 * A payout file written to the outbox and recorded in {@code payout_files}, or none when the run
 * has no pending payout on the rail that the file can carry ({@link #hasNoPayouts}).
 *
 * @param fileId the file's id: the requested one, or the one an earlier attempt recorded for the
 *     same run and rail
 * @param fileName its name in the outbox, e.g. {@code pf_...-USD-2026-11-24-1.ach}
 * @param sha256 lower-case hex SHA-256 of its bytes
 * @param entryCount how many payouts it carries
 * @param totalAmount their sum, minor units
 * @param control the format's control value: the NACHA entry hash or the pain.001 message id
 * @param failedCount the run's payouts on the rail that this generation failed instead of writing
 *     (a payout the format cannot carry, or over the file's limits): each {@code failed}, its
 *     amount back in the merchant's balance, and alerted
 */
public record GeneratedFile(
    String fileId,
    String fileName,
    String sha256,
    int entryCount,
    long totalAmount,
    String control,
    int failedCount) {

  /** No file: the run has no pending payout on this rail, or none the file could carry. */
  public static GeneratedFile none(int failedCount) {
    return new GeneratedFile(null, null, null, 0, 0, null, failedCount);
  }

  public boolean hasNoPayouts() {
    return entryCount == 0;
  }
}
