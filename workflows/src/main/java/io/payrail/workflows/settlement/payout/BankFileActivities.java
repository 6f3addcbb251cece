package io.payrail.workflows.settlement.payout;

import io.temporal.activity.ActivityInterface;

/** A payout file at the bank: its upload and the bank's acknowledgement. */
@ActivityInterface
public interface BankFileActivities {

  /** ApplicationFailure type thrown while the bank has not acknowledged a file yet. */
  String NOT_YET_ACKNOWLEDGED = "payout_file_not_yet_acknowledged";

  /**
   * ApplicationFailure type of an upload the bank refused (HTTP 4xx): it does not hold the file.
   */
  String REFUSED = "bank_file_refused";

  /** ApplicationFailure type of a file whose outbox bytes no longer match the approved SHA-256. */
  String FILE_CHANGED = "payout_file_changed";

  /**
   * Uploads the approved file's bytes from the outbox (after checking them against the recorded
   * SHA-256) to the bank's file endpoint, then records the file {@code transmitted} with the bank's
   * id and its payouts {@code in_transit}. Idempotency key: the file's SHA-256, which the bank
   * deduplicates on, so a retry gets the same bank id.
   *
   * <p>Non-retryable, and nothing was sent: {@link #REFUSED} (the bank answered 4xx: the same bytes
   * would be refused again), {@link #FILE_CHANGED}, {@code payout_file_not_approved}. Everything
   * else (bank down, timeout, 5xx, database) is transient.
   */
  Transmission transmitFile(String fileId);

  /**
   * Asks the bank for the file's acknowledgement. Throws {@link #NOT_YET_ACKNOWLEDGED} (retryable)
   * while the file is only received, so that the activity's retry policy is the polling schedule
   * (backoff, no attempt limit). An accepted file's answer may cover only some of its entries: the
   * workflow asks again for the others. Reads only: safe to repeat.
   */
  Acknowledgement awaitFileAcknowledgement(String bankFileId);
}
