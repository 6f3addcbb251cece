package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * The file of one run and rail: ids, never rows; the activities read the payouts.
 *
 * @param runId the settlement run's database id
 * @param rail {@code ach} or {@code sepa}
 * @param requestedBy the run's requester ({@link SettlementRequest#requestedBy}), who may not
 *     approve its files
 * @param sent null when the workflow starts the file; set when a workflow that already sent the
 *     file continues as new while the bank still owes it answers, so that the new run only waits
 */
public record PayoutFileInput(
    long runId,
    String currency,
    String businessDate,
    int runNumber,
    String rail,
    String requestedBy,
    Sent sent) {

  public PayoutFileInput {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(businessDate, "businessDate");
    Objects.requireNonNull(rail, "rail");
    Objects.requireNonNull(requestedBy, "requestedBy");
  }

  /** A file not generated yet: what the daily run starts. */
  public PayoutFileInput(
      long runId,
      String currency,
      String businessDate,
      int runNumber,
      String rail,
      String requestedBy) {
    this(runId, currency, businessDate, runNumber, rail, requestedBy, null);
  }

  /** The same file, already at the bank: the input of a continued-as-new run. */
  public PayoutFileInput continuing(Sent sent) {
    return new PayoutFileInput(
        runId, currency, businessDate, runNumber, rail, requestedBy, Objects.requireNonNull(sent));
  }

  /**
   * Where the wait for a transmitted file's acknowledgement stands, carried over a continue-as-new
   * (the history of a file the bank answers bit by bit stays bounded).
   *
   * @param fileId the Payrail file id ({@code pf_...})
   * @param bankFileId the bank's id of the file
   * @param transmittedAtMillis workflow time of the transmission: the acknowledgement deadline
   *     counts from it
   * @param overdueAlerted true once the missing-acknowledgement alert was given (given once)
   * @param pollMillis the wait before the next question to the bank about outstanding entries
   */
  public record Sent(
      String fileId,
      String bankFileId,
      long transmittedAtMillis,
      boolean overdueAlerted,
      long pollMillis) {

    public Sent {
      Objects.requireNonNull(fileId, "fileId");
      Objects.requireNonNull(bankFileId, "bankFileId");
    }
  }
}
