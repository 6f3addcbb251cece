package io.payrail.activities.bank;

/**
 * What the bank needs to authorize a card. Held only for the length of the call; {@link #toString}
 * never shows the number or the CVC.
 */
public record CardDetails(String number, int expMonth, int expYear, String cvc) {

  @Override
  public String toString() {
    return "CardDetails[..." + number.substring(Math.max(0, number.length() - 4)) + "]";
  }
}
