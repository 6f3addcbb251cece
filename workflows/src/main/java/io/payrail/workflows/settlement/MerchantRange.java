package io.payrail.workflows.settlement;

import java.util.Objects;

/**
 * A batch of merchants: every merchant whose id is between {@code first} and {@code last}
 * (inclusive, in the database's order of merchant ids). Ids, never rows, travel in payloads.
 */
public record MerchantRange(String first, String last) {

  public MerchantRange {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
  }
}
