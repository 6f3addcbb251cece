package io.payrail.workflows.settlement.payout;

import io.payrail.workflows.settlement.Approval;
import io.temporal.activity.ActivityInterface;

/**
 * A payout file's life in Payrail's database and outbox folder. Each method is idempotent: it runs
 * at least once, and a retry after a crash finds what the first attempt stored.
 */
@ActivityInterface
public interface PayoutFileActivities {

  /** ApplicationFailure type of a payout no file format can carry (an amount over its limit). */
  String UNREPRESENTABLE = "payout_file_unrepresentable";

  /**
   * Writes the file of the run's pending payouts of the rail (NACHA for {@code ach}, pain.001 for
   * {@code sepa}) to the outbox, atomically, records it in {@code payout_files} ({@code generated},
   * with its SHA-256 and control totals) and links the payouts to it. Idempotency key: (run, rail);
   * a retry returns the file already recorded, rewriting its bytes to the outbox if they are
   * missing. Returns {@link GeneratedFile#none} when there is no pending payout.
   *
   * <p>Non-retryable: {@link #UNREPRESENTABLE}, with a message naming the payout and the limit,
   * when a payout's amount or the file's total exceeds what the format can hold (never truncated).
   * Everything else (database, Vault, disk) is transient.
   */
  GeneratedFile generateFile(FileRequest request);

  /**
   * Reads the file back from the outbox with the format's reader and recomputes every total
   * (counts, sums, NACHA entry hash, blocking and record lengths; pain.001 NbOfTxs, CtrlSum and id
   * uniqueness) against the payouts rows and the recorded SHA-256, then records the file {@code
   * validated} or {@code rejected}. Idempotency key: the file id (a decided file keeps its
   * verdict). All failures are transient.
   */
  FileValidation validateFile(String fileId);

  /**
   * Records the approval ({@code approved}, {@code approved_by}) and its audit record ({@code
   * payout_file.approved}, the approver as actor) in one transaction. Idempotency key: the file id;
   * a retry of the same approver changes nothing. All failures are transient.
   */
  void recordFileApproval(String fileId, Approval approval);

  /**
   * Records the bank's acknowledgement: each payout {@code paid} (ledger {@code payout_paid}) or
   * {@code failed} with its return code (ledger {@code payout_return}, the amount back in the
   * merchant's available balance), the file {@code acknowledged}; or, for a file rejected whole,
   * every payout {@code failed} with code {@code REJECTED} and the file {@code rejected}.
   * Idempotency keys: the ledger's ({@code payout_paid:<payout id>}, {@code payout_return:<payout
   * id>}) and the payouts' status. Returns the file's final status.
   *
   * <p>Non-retryable {@code IllegalArgumentException} when an outcome names a reference that is not
   * in the file. Everything else is transient.
   */
  String recordFileAcknowledgement(String fileId, Acknowledgement acknowledgement);

  /**
   * Voids a file not yet approved: the file {@code voided}, its {@code pending} payouts {@code
   * voided}, each with its {@code payout_return} entry (Dr payouts_in_transit / Cr
   * merchant_available). Idempotency keys: the file's and payouts' status, the entry's {@code
   * payout_return:<payout id>}. Non-retryable {@code payout_file_not_voidable} when the file was
   * approved or sent meanwhile. Everything else is transient.
   */
  void voidFile(String fileId, String reason);
}
