package io.payrail.api.card;

import java.time.YearMonth;

/**
 * Card details that passed {@link CardValidator}. Holds the full number: it lives only until the
 * card is tokenized, is never logged, and its {@link #toString} shows the last four digits only.
 */
public record ValidCard(String number, CardBrand brand, YearMonth expiry, String cvc) {

  /** The issuer identification number: the first six digits. */
  public String bin() {
    return number.substring(0, 6);
  }

  public String last4() {
    return number.substring(number.length() - 4);
  }

  @Override
  public String toString() {
    return "ValidCard[" + brand + " ..." + last4() + " exp " + expiry + "]";
  }
}
