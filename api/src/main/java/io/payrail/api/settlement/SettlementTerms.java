package io.payrail.api.settlement;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One stored version of a merchant's settlement terms, as the database holds it: the account is
 * there only sealed, and this record carries just its last four characters.
 */
record SettlementTerms(
    long id,
    String merchantId,
    LocalDate effectiveFrom,
    String settlementCurrency,
    int feeBasisPoints,
    long feeFixed,
    String refundFeePolicy,
    int payoutDelayDays,
    long minimumPayout,
    int reserveBasisPoints,
    int reserveHoldDays,
    String payoutRail,
    String accountHolder,
    String routingNumber,
    String bic,
    String accountLast4,
    Instant createdAt,
    String createdBy) {}
