package io.payrail.workflows.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money in integer minor units of an ISO 4217 currency: {@code Money.of(1999, "USD")}
 * is $19.99, {@code Money.of(1999, "JPY")} is ¥1999 (the yen has no minor unit), {@code
 * Money.of(1999, "BHD")} is 1.999 dinars. Never a floating-point number.
 *
 * <p>It crosses Temporal's JSON data converter as {@code {"minor": 1999, "currency": "USD"}}: keep
 * bean-style getters ({@code isX}, {@code getX}) off this record, or they become fields.
 *
 * <p>Amounts are positive or zero and at most {@link #MAX_MINOR} (99,999,999,999 minor units), so
 * sums of a day's payments cannot overflow a {@code long}.
 */
public record Money(long minor, Currency currency) {

  public static final long MAX_MINOR = 99_999_999_999L;

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (minor < 0 || minor > MAX_MINOR) {
      throw new IllegalArgumentException("amount must be between 0 and " + MAX_MINOR);
    }
    if (currency.getDefaultFractionDigits() < 0) {
      throw new IllegalArgumentException(currency + " is not a currency payments can be made in");
    }
  }

  /**
   * @throws IllegalArgumentException for an unknown code, a code that is not a payment currency
   *     (gold, test codes), or an amount out of range
   */
  public static Money of(long minor, String currencyCode) {
    return new Money(minor, currency(currencyCode));
  }

  /** The ISO 4217 currency for an upper-case three-letter code; lower case is refused too. */
  public static Currency currency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD");
    }
    try {
      Currency currency = Currency.getInstance(code);
      if (currency.getDefaultFractionDigits() < 0 || code.equals("XXX") || code.equals("XTS")) {
        throw new IllegalArgumentException(code + " is not a currency payments can be made in");
      }
      return currency;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown currency " + code, e);
    }
  }

  /** Digits after the decimal point: 2 for USD, 0 for JPY, 3 for BHD. */
  public int exponent() {
    return currency.getDefaultFractionDigits();
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(minor, other.minor), currency);
  }

  /**
   * @throws IllegalArgumentException when the result would be negative
   */
  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(minor - other.minor, currency);
  }

  public boolean isGreaterThan(Money other) {
    requireSameCurrency(other);
    return minor > other.minor;
  }

  /** "19.99 USD", "1999 JPY": for people, never for parsing. */
  @Override
  public String toString() {
    return BigDecimal.valueOf(minor, exponent()).toPlainString() + " " + currency.getCurrencyCode();
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot combine " + currency + " and " + other.currency);
    }
  }
}
