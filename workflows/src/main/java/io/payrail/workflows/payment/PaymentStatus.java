package io.payrail.workflows.payment;

import java.util.Locale;

/**
 * Where a payment stands. {@code processing -> requires_capture -> succeeded}, or {@code processing
 * -> failed}, or {@code requires_capture -> canceled | failed}.
 */
public enum PaymentStatus {
  PROCESSING,
  REQUIRES_CAPTURE,
  SUCCEEDED,
  CANCELED,
  FAILED;

  /** The API's and the search attribute's spelling: {@code requires_capture}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isFinal() {
    return this == SUCCEEDED || this == CANCELED || this == FAILED;
  }
}
