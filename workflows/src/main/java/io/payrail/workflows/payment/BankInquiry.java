package io.payrail.workflows.payment;

/**
 * What an inquiry learned: the bank processed the request (and answered {@code result}), or never
 * did.
 */
public record BankInquiry(boolean processed, BankResult result) {

  public static BankInquiry notProcessed() {
    return new BankInquiry(false, null);
  }

  public static BankInquiry processed(BankResult result) {
    return new BankInquiry(true, result);
  }
}
