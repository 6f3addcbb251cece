package io.payrail.platform.card;

/**
 * A card's number and CVC, decrypted for the bank adapter, which sends them to the bank and drops
 * them. {@link #toString} shows the last four digits only.
 *
 * @param cvc null once {@link CardVault#purgeCvc} has run, or when the merchant sent none
 */
public record RevealedCard(String number, int expMonth, int expYear, String cvc) {

  @Override
  public String toString() {
    String last4 = number.substring(number.length() - 4);
    return "RevealedCard[..."
        + last4
        + " exp "
        + expMonth
        + "/"
        + expYear
        + (cvc == null ? ", no cvc" : ", cvc ***")
        + "]";
  }
}
