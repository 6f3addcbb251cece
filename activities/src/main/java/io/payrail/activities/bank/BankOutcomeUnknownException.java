package io.payrail.activities.bank;

/**
 * The request reached the bank but no answer came back (read timeout, connection dropped): the bank
 * may or may not have acted. Never guess: ask {@link BankClient#inquire} with the same request id,
 * and reverse what the inquiry shows if the payment must not go ahead.
 */
public class BankOutcomeUnknownException extends RuntimeException {

  private final String requestId;

  public BankOutcomeUnknownException(String requestId, Throwable cause) {
    super("no answer from the bank for request " + requestId, cause);
    this.requestId = requestId;
  }

  public String requestId() {
    return requestId;
  }
}
