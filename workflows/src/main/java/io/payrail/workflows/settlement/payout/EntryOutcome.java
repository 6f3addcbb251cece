package io.payrail.workflows.settlement.payout;

import java.util.Objects;

/**
 * What the bank did with one entry of a file.
 *
 * @param reference the entry's reference in the file: the ACH trace number or the pain.001
 *     EndToEndId (the payout id)
 * @param paid true when the money reached the account; false when it came back
 * @param returnCode when returned, the bank's code: NACHA {@code R01}, {@code R03}...; SEPA {@code
 *     AM04}, {@code AC04}...
 */
public record EntryOutcome(String reference, boolean paid, String returnCode) {

  public EntryOutcome {
    Objects.requireNonNull(reference, "reference");
    if (!paid && (returnCode == null || returnCode.isBlank())) {
      throw new IllegalArgumentException("a returned entry needs its return code: " + reference);
    }
  }

  public static EntryOutcome paid(String reference) {
    return new EntryOutcome(reference, true, null);
  }

  public static EntryOutcome returned(String reference, String returnCode) {
    return new EntryOutcome(reference, false, returnCode);
  }
}
