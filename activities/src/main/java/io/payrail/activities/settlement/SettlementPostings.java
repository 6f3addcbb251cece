package io.payrail.activities.settlement;

import io.payrail.activities.ledger.Ledger.Entry;
import io.payrail.activities.ledger.Ledger.Line;
import io.payrail.activities.ledger.PaymentPostings;
import io.payrail.workflows.settlement.MerchantFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger entries of settlement (the table in docs/settlement.md), as values: debit positive,
 * credit negative, zero lines omitted, so a negative amount flips a line's side by itself.
 */
public final class SettlementPostings {

  public static final String FEE_REVENUE = "fee_revenue";
  public static final String MERCHANT_RESERVE = "merchant_reserve";
  public static final String MERCHANT_PENDING = "merchant_pending";
  public static final String MERCHANT_AVAILABLE = "merchant_available";
  public static final String PAYOUTS_IN_TRANSIT = "payouts_in_transit";

  private SettlementPostings() {}

  /**
   * {@code settlement}: Dr merchant_payable (gross - refunds); Cr fee_revenue fees; Cr
   * merchant_reserve held; Dr merchant_reserve released; Cr merchant_pending net. Empty when the
   * day moved nothing.
   */
  public static Optional<Entry> settlement(long runId, String merchantId, MerchantFigures day) {
    List<Line> lines = new ArrayList<>();
    add(lines, PaymentPostings.MERCHANT_PAYABLE, merchantId, day.gross() - day.refunds());
    add(lines, FEE_REVENUE, null, -day.fees());
    add(lines, MERCHANT_RESERVE, merchantId, -day.reserveHeld());
    add(lines, MERCHANT_RESERVE, merchantId, day.reserveReleased());
    add(lines, MERCHANT_PENDING, merchantId, -day.net());
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Entry("settlement:" + runId + ":" + merchantId, "settlement", lines));
  }

  /**
   * {@code settlement_adjustment}: the difference rerun - run n of one merchant, lines as {@code
   * settlement}, its net into {@code merchant_available} when run n's net was already made
   * available, else into {@code merchant_pending}. Empty when nothing changed.
   */
  public static Optional<Entry> adjustment(
      long rerunId, String merchantId, MerchantFigures change, boolean available) {
    List<Line> lines = new ArrayList<>();
    add(lines, PaymentPostings.MERCHANT_PAYABLE, merchantId, change.gross() - change.refunds());
    add(lines, FEE_REVENUE, null, -change.fees());
    add(lines, MERCHANT_RESERVE, merchantId, -change.reserveHeld());
    add(lines, MERCHANT_RESERVE, merchantId, change.reserveReleased());
    add(lines, available ? MERCHANT_AVAILABLE : MERCHANT_PENDING, merchantId, -change.net());
    if (lines.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(
        new Entry("adjustment:" + rerunId + ":" + merchantId, "settlement_adjustment", lines));
  }

  /** {@code payout_return}: Dr payouts_in_transit / Cr merchant_available (failed or voided). */
  public static Entry payoutReturn(String payoutId, String merchantId, long amount) {
    return new Entry(
        "payout_return:" + payoutId,
        "payout_return",
        List.of(
            Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
            Line.credit(MERCHANT_AVAILABLE, merchantId, amount)));
  }

  /** {@code availability}: Dr merchant_pending net / Cr merchant_available net (net not zero). */
  public static Entry availability(long runId, String merchantId, long net) {
    return new Entry(
        "available:" + runId + ":" + merchantId,
        "availability",
        List.of(
            new Line(MERCHANT_PENDING, merchantId, net),
            new Line(MERCHANT_AVAILABLE, merchantId, -net)));
  }

  /** {@code payout}: Dr merchant_available / Cr payouts_in_transit. */
  public static Entry payout(String payoutId, String merchantId, long amount) {
    return new Entry(
        "payout:" + payoutId,
        "payout",
        List.of(
            Line.debit(MERCHANT_AVAILABLE, merchantId, amount),
            Line.credit(PAYOUTS_IN_TRANSIT, null, amount)));
  }

  private static void add(List<Line> lines, String account, String merchantId, long amount) {
    if (amount != 0) {
      lines.add(new Line(account, merchantId, amount));
    }
  }
}
