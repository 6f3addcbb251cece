package io.payrail.banksim;

import java.util.Map;

/**
 * How the simulated issuer answers each test card, after Stripe's test numbers. Any other
 * Luhn-valid number approves.
 *
 * <table>
 *   <tr><th>number</th><th>behaviour</th></tr>
 *   <tr><td>4242424242424242</td><td>approves</td></tr>
 *   <tr><td>4000000000000002</td><td>declines: {@code generic_decline}</td></tr>
 *   <tr><td>4000000000009995</td><td>declines: {@code insufficient_funds}</td></tr>
 *   <tr><td>4000000000000069</td><td>declines: {@code expired_card}</td></tr>
 *   <tr><td>4000000000000119</td><td>HTTP 503 {@code processing_error} on the first two attempts
 *       of a request id, then approves: a retryable failure</td></tr>
 *   <tr><td>4000000000000259</td><td>approves but never answers (the connection is held, then
 *       dropped): an unknown outcome, which only an inquiry resolves</td></tr>
 *   <tr><td>4000000000000770</td><td>approves after a slow answer ({@code slow-millis})</td></tr>
 * </table>
 */
enum TestCard {
  APPROVE(null),
  GENERIC_DECLINE("generic_decline"),
  INSUFFICIENT_FUNDS("insufficient_funds"),
  EXPIRED_CARD("expired_card"),
  PROCESSING_ERROR(null),
  NEVER_ANSWERS(null),
  SLOW(null);

  /** How many attempts of one request id {@link #PROCESSING_ERROR} fails before approving. */
  static final int PROCESSING_ERROR_ATTEMPTS = 2;

  private static final Map<String, TestCard> BY_NUMBER =
      Map.of(
          "4242424242424242", APPROVE,
          "4000000000000002", GENERIC_DECLINE,
          "4000000000009995", INSUFFICIENT_FUNDS,
          "4000000000000069", EXPIRED_CARD,
          "4000000000000119", PROCESSING_ERROR,
          "4000000000000259", NEVER_ANSWERS,
          "4000000000000770", SLOW);

  private final String declineCode;

  TestCard(String declineCode) {
    this.declineCode = declineCode;
  }

  static TestCard of(String number) {
    return BY_NUMBER.getOrDefault(number, APPROVE);
  }

  /** The issuer's decline code, or null when this card is not declined. */
  String declineCode() {
    return declineCode;
  }
}
