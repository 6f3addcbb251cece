package io.payrail.workflows.payment;

/**
 * The bank's definite answer. {@code ACCEPTED} carries the authorization id; {@code DECLINED} the
 * issuer's decline code; {@code REFUSED} the bank's reason (already captured, amount too large).
 */
public record BankResult(Outcome outcome, String authorizationId, String code) {

  public enum Outcome {
    ACCEPTED,
    DECLINED,
    REFUSED
  }

  public static BankResult accepted(String authorizationId) {
    return new BankResult(Outcome.ACCEPTED, authorizationId, null);
  }

  public static BankResult declined(String declineCode) {
    return new BankResult(Outcome.DECLINED, null, declineCode);
  }

  public static BankResult refused(String code) {
    return new BankResult(Outcome.REFUSED, null, code);
  }

  public boolean wasAccepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
