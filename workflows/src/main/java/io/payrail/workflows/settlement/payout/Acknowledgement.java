package io.payrail.workflows.settlement.payout;

import java.util.List;
import java.util.Objects;

/**
 * The bank's final word on a file: accepted, with each entry paid or returned, or rejected whole
 * (nothing was paid).
 *
 * @param accepted false when the bank rejected the whole file
 * @param reason when rejected, the bank's reason
 * @param entries when accepted, one outcome per entry
 */
public record Acknowledgement(boolean accepted, String reason, List<EntryOutcome> entries) {

  public Acknowledgement {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
  }

  public static Acknowledgement accepted(List<EntryOutcome> entries) {
    return new Acknowledgement(true, null, entries);
  }

  public static Acknowledgement rejected(String reason) {
    return new Acknowledgement(false, reason, List.of());
  }
}
