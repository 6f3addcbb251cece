package io.payrail.workflows.settlement;

/**
 * What one merchant's business day brought, before fees: the input of {@link FeePlan#settle}.
 *
 * @param gross the sum of the day's captures, minor units
 * @param refunds the sum of the day's succeeded refunds
 * @param reserveReleased the reserve held {@code reserve_hold_days} ago, released today
 */
public record MerchantDay(
    int captureCount, int refundCount, long gross, long refunds, long reserveReleased) {

  public MerchantDay {
    if (captureCount < 0 || refundCount < 0 || gross < 0 || refunds < 0 || reserveReleased < 0) {
      throw new IllegalArgumentException("counts and amounts of a day cannot be negative");
    }
  }
}
