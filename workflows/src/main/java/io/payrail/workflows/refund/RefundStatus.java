package io.payrail.workflows.refund;

import java.util.Locale;

/**
 * Where a refund stands: {@code pending -> succeeded | failed}. {@code canceled} is reserved for a
 * refund withdrawn before it reached the bank (not offered yet: Payrail sends every refund at
 * once).
 */
public enum RefundStatus {
  PENDING,
  SUCCEEDED,
  FAILED,
  CANCELED;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
