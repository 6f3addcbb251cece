package io.payrail.api.card;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import java.time.YearMonth;
import org.springframework.http.HttpStatus;

/**
 * Checks raw card details at the edge, before anything stores or forwards them, and answers a
 * mistake with a 400 naming the field ({@code card.number}, {@code card.exp_month}, ...). No error
 * message ever contains the card number or the CVC.
 */
public final class CardValidator {

  /** How far ahead an expiry date may lie; networks issue cards for at most 20 years. */
  static final int MAX_YEARS_AHEAD = 20;

  private CardValidator() {}

  /**
   * @param number digits, optionally grouped with spaces or dashes
   * @param today the current month, in the card holder's favour (UTC-12 would be stricter)
   */
  public static ValidCard validate(
      String number, Integer expMonth, Integer expYear, String cvc, YearMonth today) {
    String digits = digitsOf(number);
    CardBrand brand = CardBrand.of(digits);
    if (brand == null) {
      throw invalid("card.number", "invalid_number", "This card network is not supported.");
    }
    if (!brand.allowsLength(digits.length())) {
      throw invalid("card.number", "invalid_number", "The card number has the wrong length.");
    }
    if (!luhnValid(digits)) {
      throw invalid("card.number", "incorrect_number", "The card number is incorrect.");
    }
    YearMonth expiry = expiry(expMonth, expYear, today);
    if (cvc == null
        || cvc.length() != brand.cvcLength()
        || !cvc.chars().allMatch(Character::isDigit)) {
      throw invalid(
          "card.cvc", "invalid_cvc", "The security code must be " + brand.cvcLength() + " digits.");
    }
    return new ValidCard(digits, brand, expiry, cvc);
  }

  static boolean luhnValid(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
    }
    return sum % 10 == 0;
  }

  private static String digitsOf(String number) {
    if (number == null || number.isBlank()) {
      throw invalid("card.number", "invalid_number", "The card number is required.");
    }
    String digits = number.replace(" ", "").replace("-", "");
    if (digits.length() < 12
        || digits.length() > 19
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid("card.number", "invalid_number", "The card number must be 12 to 19 digits.");
    }
    return digits;
  }

  private static YearMonth expiry(Integer month, Integer year, YearMonth today) {
    if (month == null || month < 1 || month > 12) {
      throw invalid("card.exp_month", "invalid_expiry_month", "exp_month must be 1 to 12.");
    }
    if (year == null || year < today.getYear() || year > today.getYear() + MAX_YEARS_AHEAD) {
      throw invalid(
          "card.exp_year",
          "invalid_expiry_year",
          "exp_year must be a four-digit year from "
              + today.getYear()
              + " to "
              + (today.getYear() + MAX_YEARS_AHEAD)
              + ".");
    }
    YearMonth expiry = YearMonth.of(year, month);
    if (expiry.isBefore(today)) {
      throw invalid("card.exp_month", "expired_card", "The card has expired.");
    }
    return expiry;
  }

  private static ApiException invalid(String param, String code, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorTypes.CARD, code, message, param);
  }
}
