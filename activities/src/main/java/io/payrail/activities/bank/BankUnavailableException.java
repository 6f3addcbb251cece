package io.payrail.activities.bank;

/**
 * The bank did not process the request (connection refused, connect timeout, HTTP 5xx): retrying
 * with the same request id is safe.
 */
public class BankUnavailableException extends RuntimeException {

  public BankUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
