package io.payrail.banksim;

import java.util.Map;

/** What the bank answers: an HTTP status and a JSON body. */
record BankOutcome(int status, Map<String, Object> body) {

  static BankOutcome ok(Map<String, Object> body) {
    return new BankOutcome(200, body);
  }

  static BankOutcome error(int status, String code, String message) {
    return new BankOutcome(status, Map.of("error", Map.of("code", code, "message", message)));
  }

  /** A failure that did not change the bank's state, so the same request may be sent again. */
  boolean retryable() {
    return status >= 500;
  }
}
