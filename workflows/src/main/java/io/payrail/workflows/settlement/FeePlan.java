package io.payrail.workflows.settlement;

/**
 * The arithmetic part of a merchant's settlement terms, and the one rounding rule of
 * docs/settlement.md: {@code percentage(x, bps) = floor((x * bps + 5000) / 10000)}, half up to the
 * minor unit, applied once to a day's total, never per transaction (so a day of many small captures
 * does not lose or gain a unit per capture).
 *
 * <pre>{@code
 * MerchantFigures day = new FeePlan(290, 30, false, 1000, 90).settle(new MerchantDay(2, 0, 10_000, 0, 0));
 * // fees = 290 + 60 = 350, reserve_held = 1000, net = 10_000 - 350 - 1000 = 8650
 * }</pre>
 *
 * @param feeBasisPoints the percentage part of the fee, 0 to 10,000
 * @param feeFixed minor units charged per capture
 * @param refundReturnsFees true for the {@code percentage} refund policy: a refund gives back the
 *     percentage part of the fee on its amount (never the fixed part); false for {@code none}
 * @param reserveBasisPoints the rolling reserve held on the day's captures less refunds
 * @param reserveHoldDays how long a reserve is held; 0 holds none (there is nothing to hold for no
 *     time, and the day's own run could not release it)
 */
public record FeePlan(
    int feeBasisPoints,
    long feeFixed,
    boolean refundReturnsFees,
    int reserveBasisPoints,
    int reserveHoldDays) {

  public FeePlan {
    requireBasisPoints(feeBasisPoints, "feeBasisPoints");
    requireBasisPoints(reserveBasisPoints, "reserveBasisPoints");
    if (feeFixed < 0 || reserveHoldDays < 0) {
      throw new IllegalArgumentException("feeFixed and reserveHoldDays cannot be negative");
    }
  }

  /** {@code floor((amount * basisPoints + 5000) / 10000)}: half up (towards +infinity). */
  public static long percentage(long amount, int basisPoints) {
    return Math.floorDiv(Math.addExact(Math.multiplyExact(amount, basisPoints), 5000), 10_000);
  }

  /**
   * One merchant's day under this plan: {@code net = gross - refunds - fees - reserve_held +
   * reserve_released}, exactly.
   */
  public MerchantFigures settle(MerchantDay day) {
    long fees =
        Math.addExact(
            percentage(day.gross(), feeBasisPoints),
            Math.multiplyExact(feeFixed, day.captureCount()));
    if (refundReturnsFees) {
      fees = Math.subtractExact(fees, percentage(day.refunds(), feeBasisPoints));
    }
    long captured = Math.subtractExact(day.gross(), day.refunds());
    long reserveHeld =
        reserveHoldDays > 0 && captured > 0 ? percentage(captured, reserveBasisPoints) : 0;
    long net =
        Math.addExact(
            Math.subtractExact(Math.subtractExact(captured, fees), reserveHeld),
            day.reserveReleased());
    return new MerchantFigures(
        day.captureCount(),
        day.refundCount(),
        day.gross(),
        day.refunds(),
        fees,
        reserveHeld,
        day.reserveReleased(),
        net);
  }

  private static void requireBasisPoints(int value, String name) {
    if (value < 0 || value > 10_000) {
      throw new IllegalArgumentException(name + " must be between 0 and 10000: " + value);
    }
  }
}
