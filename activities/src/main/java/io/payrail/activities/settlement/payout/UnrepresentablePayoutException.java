package io.payrail.activities.settlement.payout;

/**
 * A payout (or a file's total) that the format cannot carry, such as an amount wider than NACHA's
 * 10-digit field. Refused, never truncated: the message names the payout and the limit, never an
 * account.
 */
public class UnrepresentablePayoutException extends RuntimeException {

  public UnrepresentablePayoutException(String message) {
    super(message);
  }
}
