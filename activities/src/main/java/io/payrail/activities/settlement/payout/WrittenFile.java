package io.payrail.activities.settlement.payout;

import java.util.Map;

/**
 * A file's bytes and what identifies its parts.
 *
 * @param bytes the file, as sent to the bank
 * @param control the format's control value: NACHA file entry hash, pain.001 MsgId
 * @param references each payout id's reference in the file (ACH trace number, pain.001 EndToEndId)
 */
public record WrittenFile(byte[] bytes, String control, Map<String, String> references) {

  public WrittenFile {
    references = Map.copyOf(references);
  }
}
