package io.payrail.platform.card;

import java.util.Objects;

/**
 * A card on its way into the vault, with its full number and CVC. The api's card validator has
 * checked it (network, Luhn, expiry); this record only refuses what would corrupt the vault, and
 * its errors and {@link #toString} never show the number or the CVC.
 *
 * @param number digits only
 * @param brand the network, as the api's validator named it ({@code VISA})
 * @param cvc digits, or null when the merchant sent none
 * @param holderName the name printed on the card, or null
 */
public record CardToTokenize(
    String number, String brand, int expMonth, int expYear, String cvc, String holderName) {

  public CardToTokenize {
    if (number == null || !number.matches("[0-9]{12,19}")) {
      throw new IllegalArgumentException("number must be 12 to 19 digits");
    }
    if (cvc != null && !cvc.matches("[0-9]{3,4}")) {
      throw new IllegalArgumentException("cvc must be 3 or 4 digits");
    }
    Objects.requireNonNull(brand, "brand");
  }

  /** The issuer identification number: the first six digits. */
  public String bin() {
    return number.substring(0, 6);
  }

  public String last4() {
    return number.substring(number.length() - 4);
  }

  @Override
  public String toString() {
    return "CardToTokenize[" + brand + " ..." + last4() + " exp " + expMonth + "/" + expYear + "]";
  }
}
