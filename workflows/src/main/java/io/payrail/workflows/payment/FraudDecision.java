package io.payrail.workflows.payment;

/**
 * Allowed, or blocked with a stable reason code such as {@code amount_limit} or {@code
 * blocked_bin}.
 */
public record FraudDecision(boolean allowed, String reason) {

  public static FraudDecision allow() {
    return new FraudDecision(true, null);
  }

  public static FraudDecision block(String reason) {
    return new FraudDecision(false, reason);
  }
}
