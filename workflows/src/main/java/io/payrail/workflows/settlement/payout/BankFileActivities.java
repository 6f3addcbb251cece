package io.payrail.workflows.settlement.payout;

import io.temporal.activity.ActivityInterface;

/** A payout file at the bank: its upload and the bank's acknowledgement. */
@ActivityInterface
public interface BankFileActivities {

  /** ApplicationFailure type thrown while the bank has not acknowledged a file yet. */
  String NOT_YET_ACKNOWLEDGED = "payout_file_not_yet_acknowledged";

  /**
   * Uploads the approved file's bytes from the outbox (after checking them against the recorded
   * SHA-256) to the bank's file endpoint, then records the file {@code transmitted} with the bank's
   * id and its payouts {@code in_transit}. Idempotency key: the file's SHA-256, which the bank
   * deduplicates on, so a retry gets the same bank id. Every failure (bank down, timeout, database)
   * is transient; a file whose bytes no longer match its hash fails non-retryably.
   */
  Transmission transmitFile(String fileId);

  /**
   * Asks the bank for the file's acknowledgement. Throws {@link #NOT_YET_ACKNOWLEDGED} (retryable)
   * while the file is only received, so that the activity's retry policy is the polling schedule
   * (backoff, no attempt limit). Reads only: safe to repeat.
   */
  Acknowledgement awaitFileAcknowledgement(String bankFileId);
}
