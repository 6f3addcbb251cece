package io.payrail.activities.settlement.payout;

import java.util.Objects;

/**
 * One payout as a file carries it, with the merchant's account opened from the vault for as long as
 * the file is written or checked. {@link #toString} masks the account, so a line that reaches a log
 * or an exception message shows its last four characters only.
 *
 * @param payoutId {@code po_...}: the pain.001 EndToEndId; ACH entries map to it by trace number
 * @param amount minor units, positive
 * @param accountHolder the name on the merchant's account
 * @param bankCode the ABA routing number (ACH) or the BIC (SEPA)
 * @param account the account number (ACH) or the IBAN (SEPA), in clear
 */
public record PayoutLine(
    String payoutId,
    String merchantId,
    long amount,
    String accountHolder,
    String bankCode,
    String account) {

  public PayoutLine {
    Objects.requireNonNull(payoutId, "payoutId");
    Objects.requireNonNull(accountHolder, "accountHolder");
    Objects.requireNonNull(bankCode, "bankCode");
    Objects.requireNonNull(account, "account");
    if (amount <= 0) {
      throw new IllegalArgumentException("payout " + payoutId + " has no positive amount");
    }
  }

  @Override
  public String toString() {
    return "PayoutLine["
        + payoutId
        + ", "
        + merchantId
        + ", "
        + amount
        + ", account ..."
        + last4()
        + "]";
  }

  private String last4() {
    return account.length() <= 4 ? "****" : account.substring(account.length() - 4);
  }
}
