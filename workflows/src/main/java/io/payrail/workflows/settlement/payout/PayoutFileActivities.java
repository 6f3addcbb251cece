package io.payrail.workflows.settlement.payout;

import io.payrail.workflows.settlement.Approval;
import io.temporal.activity.ActivityInterface;

/**
 * A payout file's life in Payrail's database and outbox folder. Each method is idempotent: it runs
 * at least once, and a retry after a crash finds what the first attempt stored.
 *
 * <p>A payout that cannot be sent never stays {@code pending} or {@code in_transit}: it is {@code
 * failed} with one of the return codes below (or the bank's), its amount goes back to the
 * merchant's {@code merchant_available} balance (entry {@code payout_return:<payout id>}) for the
 * next payout to carry, and a {@code settlement.alert} line names it.
 */
@ActivityInterface
public interface PayoutFileActivities {

  /**
   * ApplicationFailure type of a file the format refuses although every payout passed its checks (a
   * guard that should never fire). Non-retryable: the same payouts fail the same way.
   */
  String UNREPRESENTABLE = "payout_file_unrepresentable";

  /** Return code of a payout the format cannot carry (amount, name or account). */
  String RETURN_UNREPRESENTABLE = "FORMAT";

  /** Return code of a payout beyond the file's limits (entries or total): paid the next day. */
  String RETURN_OVER_FILE_LIMIT = "CAPPED";

  /** Return code of the payouts of a file that failed validation: it was never sent. */
  String RETURN_INVALID_FILE = "INVALID";

  /** Return code of the payouts of a file the bank refused or rejected whole. */
  String RETURN_REJECTED = "REJECTED";

  /**
   * Writes the file of the run's pending payouts of the rail (NACHA for {@code ach}, pain.001 for
   * {@code sepa}) to the outbox, atomically, records it in {@code payout_files} ({@code generated},
   * with its SHA-256 and control totals) and links the payouts to it. Before writing, a payout the
   * format cannot carry is failed with {@link #RETURN_UNREPRESENTABLE}, and the payouts beyond the
   * format's file limits (in id order) with {@link #RETURN_OVER_FILE_LIMIT}: the file is written
   * without them ({@link GeneratedFile#failedCount}). Idempotency key: (run, rail); a retry returns
   * the file already recorded, rewriting its bytes to the outbox if they are missing, and a payout
   * already failed stays failed. Returns {@link GeneratedFile#none} when no pending payout is left.
   *
   * <p>Non-retryable: {@link #UNREPRESENTABLE} (see there). Everything else (database, Vault, disk)
   * is transient.
   */
  GeneratedFile generateFile(FileRequest request);

  /**
   * Reads the file back from the outbox with the format's reader and recomputes every total
   * (counts, sums, NACHA entry hash, blocking and record lengths; pain.001 NbOfTxs, CtrlSum and id
   * uniqueness) against the payouts rows and the recorded SHA-256, then records the file {@code
   * validated} or {@code rejected}. A rejected file is never sent: its payouts are failed with
   * {@link #RETURN_INVALID_FILE} and returned. Idempotency key: the file id (a decided file keeps
   * its verdict; a retry finishes returning its payouts). All failures are transient.
   */
  FileValidation validateFile(String fileId);

  /**
   * Records the approval ({@code approved}, {@code approved_by}) and its audit record ({@code
   * payout_file.approved}, the approver as actor) in one transaction. Idempotency key: the file id;
   * a retry of the same approver changes nothing. All failures are transient.
   */
  void recordFileApproval(String fileId, Approval approval);

  /**
   * Records the bank's answer: each answered payout {@code paid} (ledger {@code payout_paid}) or
   * {@code failed} with its return code (ledger {@code payout_return}, the amount back in the
   * merchant's available balance); for a file rejected whole, every payout still in transit {@code
   * failed} with {@link #RETURN_REJECTED}, the file {@code rejected} with the bank's reason. The
   * file becomes {@code acknowledged} only when none of its payouts is in transit any more: a
   * partial answer leaves it {@code transmitted} and says how many are outstanding. A line whose
   * reference is not in the file, or that contradicts an outcome already recorded, is alerted and
   * ignored. Idempotency keys: the ledger's ({@code payout_paid:<payout id>}, {@code
   * payout_return:<payout id>}) and the payouts' status; one transaction per payout, which locks
   * the merchant's {@code merchant_available} account before {@code payouts_in_transit}, the order
   * the daily run's payout creation takes them.
   *
   * <p>All failures are transient.
   */
  RecordedAcknowledgement recordFileAcknowledgement(String fileId, Acknowledgement acknowledgement);

  /**
   * Fails a file that will never reach the bank (the bank refused its upload, or its outbox bytes
   * changed after approval): the file {@code rejected} with {@code reason} recorded, its payouts
   * still {@code pending} {@code failed} with {@code returnCode} and returned. Idempotency keys:
   * the file's and payouts' status, the entries' {@code payout_return:<payout id>}. All failures
   * are transient.
   */
  void failFile(String fileId, String returnCode, String reason);

  /**
   * Voids a file not yet approved: the file {@code voided}, its {@code pending} payouts {@code
   * voided}, each with its {@code payout_return} entry (Dr payouts_in_transit / Cr
   * merchant_available). Idempotency keys: the file's and payouts' status, the entry's {@code
   * payout_return:<payout id>}. Non-retryable {@code payout_file_not_voidable} when the file was
   * approved or sent meanwhile. Everything else is transient.
   */
  void voidFile(String fileId, String reason);
}
