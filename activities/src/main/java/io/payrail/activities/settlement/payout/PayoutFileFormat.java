package io.payrail.activities.settlement.payout;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
   * Why the format cannot carry this payout (its amount, the holder's name, the bank code or the
   * account), or empty when it can. The reason names the payout and the limit, never the account.
   */
  Optional<String> refusal(PayoutLine line);

  /**
   * Whether a file of {@code entries} payouts totalling {@code total} minor units stays within the
   * format's control fields and the entry count Payrail puts in one file (the bank takes uploads of
   * up to 16 MiB).
   */
  boolean fits(int entries, long total);

  /**
   * Writes the lines, in the order given, as one file.
   *
   * @param fileId the file's id, also its pain.001 MsgId
   * @param createdAt the file's creation time
   * @throws UnrepresentablePayoutException when a payout has a {@link #refusal} or the file does
   *     not {@link #fits fit}: callers leave those payouts out first
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
