package io.payrail.activities.bank;

/**
 * The bank's definite answer to a request. Transient trouble and unknown outcomes are exceptions.
 */
public sealed interface BankResponse {

  /**
   * The bank did what was asked. {@code status} is the authorization's state afterwards: {@code
   * authorized}, {@code captured} or {@code voided}.
   */
  record Accepted(String authorizationId, String status, long capturedMinor, long refundedMinor)
      implements BankResponse {}

  /** The issuer declined the card: a business outcome, never retried. */
  record Declined(String declineCode) implements BankResponse {}

  /** The bank refused the request as it stands (already captured, amount too large, ...). */
  record Refused(String code, String message) implements BankResponse {}
}
