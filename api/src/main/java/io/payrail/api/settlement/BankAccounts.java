package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.iban4j.BicUtil;
import org.iban4j.Iban4jException;
import org.iban4j.IbanUtil;

/**
 * Checks a merchant's payout account before it is sealed, so that a typo is refused at the edge
 * (400 naming the field) and not a week later as a bank return. Error messages never repeat the
 * account number or IBAN: they would land in clients' logs.
 *
 * <p>ACH: the ABA routing number's check digit (weights 3, 7, 1 over the nine digits, sum a
 * multiple of 10) and an account number of 4 to 17 digits (NACHA's DFI account field is 17
 * characters). SEPA: IBAN and BIC by iban4j, which keeps the per-country IBAN registry.
 */
final class BankAccounts {

  private static final Pattern ROUTING = Pattern.compile("[0-9]{9}");
  private static final Pattern ACH_ACCOUNT = Pattern.compile("[0-9]{4,17}");
  private static final int[] ABA_WEIGHTS = {3, 7, 1, 3, 7, 1, 3, 7, 1};

  private BankAccounts() {}

  /** True when nine digits pass the ABA check-digit test. */
  static boolean isValidRoutingNumber(String routing) {
    if (routing == null || !ROUTING.matcher(routing).matches()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (routing.charAt(i) - '0') * ABA_WEIGHTS[i];
    }
    return sum % 10 == 0;
  }

  static String requireRoutingNumber(String param, String routing) {
    if (routing == null) {
      throw missing(param, "an ACH account needs its ABA routing number");
    }
    if (!isValidRoutingNumber(routing)) {
      throw ApiException.invalid(
          param,
          "routing_number_invalid",
          "The routing number must be nine digits with a valid ABA check digit");
    }
    return routing;
  }

  static String requireAchAccountNumber(String param, String number) {
    if (number == null) {
      throw missing(param, "an ACH account needs its account number");
    }
    if (!ACH_ACCOUNT.matcher(number).matches()) {
      throw ApiException.invalid(
          param, "account_number_invalid", "The account number must be 4 to 17 digits");
    }
    return number;
  }

  /** The IBAN in its electronic form (no spaces, capitals), once valid. */
  static String requireIban(String param, String iban) {
    if (iban == null) {
      throw missing(param, "a SEPA account needs its IBAN");
    }
    String electronic = iban.replace(" ", "").toUpperCase(Locale.ROOT);
    try {
      IbanUtil.validate(electronic);
    } catch (Iban4jException e) {
      // iban4j's message quotes the IBAN: it stays here.
      throw ApiException.invalid(
          param, "iban_invalid", "The IBAN is not valid (country format, length or check digits)");
    }
    return electronic;
  }

  static String requireBic(String param, String bic) {
    if (bic == null) {
      throw missing(param, "a SEPA account needs the bank's BIC");
    }
    String upper = bic.strip().toUpperCase(Locale.ROOT);
    try {
      BicUtil.validate(upper);
    } catch (Iban4jException e) {
      throw ApiException.invalid(
          param, "bic_invalid", "The BIC must be 8 or 11 characters of a known country");
    }
    return upper;
  }

  static void requireAbsent(String param, Object value, String rail) {
    if (value != null) {
      throw ApiException.invalid(
          param, "parameter_unexpected", param + " does not apply to the " + rail + " rail");
    }
  }

  /** The last four characters, which is all Payrail ever shows of an account. */
  static String last4(String account) {
    return account.substring(account.length() - 4);
  }

  /** How an account is shown: {@code ****6789}. */
  static String masked(String last4) {
    return "****" + last4;
  }

  private static ApiException missing(String param, String why) {
    return ApiException.invalid(param, "parameter_missing", "Missing " + param + ": " + why);
  }
}
