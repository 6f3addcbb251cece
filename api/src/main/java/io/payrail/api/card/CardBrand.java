package io.payrail.api.card;

import java.util.Locale;
import java.util.Set;

/** Card networks Payrail accepts, recognised by their IIN ranges and allowed number lengths. */
public enum CardBrand {
  VISA(Set.of(13, 16, 19), 3),
  MASTERCARD(Set.of(16), 3),
  AMEX(Set.of(15), 4),
  DISCOVER(Set.of(16, 17, 18, 19), 3),
  JCB(Set.of(16, 17, 18, 19), 3),
  DINERS(Set.of(14, 15, 16, 17, 18, 19), 3);

  private final Set<Integer> lengths;
  private final int cvcLength;

  CardBrand(Set<Integer> lengths, int cvcLength) {
    this.lengths = lengths;
    this.cvcLength = cvcLength;
  }

  /** The brand of a digits-only number, or null when no accepted network issued it. */
  static CardBrand of(String digits) {
    int two = Integer.parseInt(digits.substring(0, 2));
    int three = Integer.parseInt(digits.substring(0, 3));
    int four = Integer.parseInt(digits.substring(0, 4));
    if (digits.charAt(0) == '4') {
      return VISA;
    }
    if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
      return MASTERCARD;
    }
    if (two == 34 || two == 37) {
      return AMEX;
    }
    if (four == 6011 || two == 65 || (three >= 644 && three <= 649)) {
      return DISCOVER;
    }
    if (four >= 3528 && four <= 3589) {
      return JCB;
    }
    if (two == 36 || two == 38 || two == 39 || (three >= 300 && three <= 305)) {
      return DINERS;
    }
    return null;
  }

  /** The API's spelling: {@code visa}, {@code mastercard}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean allowsLength(int length) {
    return lengths.contains(length);
  }

  int cvcLength() {
    return cvcLength;
  }
}
