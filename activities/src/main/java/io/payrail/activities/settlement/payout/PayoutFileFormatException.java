package io.payrail.activities.settlement.payout;

/**
 * Bytes that do not read as a file of the format: a record of the wrong length, records out of
 * order, a field that is not a number. The message says where, never what account it held.
 */
public class PayoutFileFormatException extends RuntimeException {

  public PayoutFileFormatException(String message) {
    super(message);
  }

  public PayoutFileFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
