package io.payrail.workflows.settlement;

/**
 * One merchant's settlement of one day, as {@code merchant_settlements} stores it: {@code net =
 * gross - refunds - fees - reserveHeld + reserveReleased}. Fees may be negative (refunds giving
 * back more than the day's fees), and so may net: a negative net is carried forward in the
 * merchant's balance.
 */
public record MerchantFigures(
    int captureCount,
    int refundCount,
    long gross,
    long refunds,
    long fees,
    long reserveHeld,
    long reserveReleased,
    long net) {}
