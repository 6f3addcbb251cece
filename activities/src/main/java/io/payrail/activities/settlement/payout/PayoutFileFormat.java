package io.payrail.activities.settlement.payout;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A bank file format: a writer, and a check that reads the bytes back with the format's reader and
 * recomputes every total against the payouts the file should carry.
 */
public interface PayoutFileFormat {

  /** As {@code payout_files.format} names it. */
  String name();

  /** The outbox file's extension, e.g. {@code ach}. */
  String extension();

  /**
   * Writes the lines, in the order given, as one file.
   *
   * @param fileId the file's id, also its pain.001 MsgId
   * @param createdAt the file's creation time
   * @throws UnrepresentablePayoutException when a payout or the total exceeds the format's limit
   */
  WrittenFile write(String fileId, OffsetDateTime createdAt, List<PayoutLine> lines);

  /**
   * Reads {@code bytes} and compares every total with {@code expected}.
   *
   * @param control the recorded control value (entry hash, MsgId)
   * @param references the recorded reference of each payout id
   */
  FileValidation check(
      byte[] bytes, List<PayoutLine> expected, String control, Map<String, String> references);
}
