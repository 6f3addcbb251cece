package io.payrail.workflows.common;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The custom search attributes operators filter on in the Temporal UI, e.g. {@code MerchantId =
 * "mer_123" AND PaymentStatus = "requires_capture"}.
 *
 * <p>A cluster only accepts attributes registered beforehand: {@code
 * infra/temporal/search-attributes.txt} registers exactly these, and a test keeps the two lists
 * equal.
 */
public final class PayrailSearchAttributes {

  public static final SearchAttributeKey<String> MERCHANT_ID =
      SearchAttributeKey.forKeyword("MerchantId");
  public static final SearchAttributeKey<String> PAYMENT_ID =
      SearchAttributeKey.forKeyword("PaymentId");
  public static final SearchAttributeKey<String> PAYMENT_STATUS =
      SearchAttributeKey.forKeyword("PaymentStatus");
  public static final SearchAttributeKey<Long> AMOUNT_MINOR = SearchAttributeKey.forLong("Amount");
  public static final SearchAttributeKey<String> CURRENCY =
      SearchAttributeKey.forKeyword("Currency");

  /** A settlement run's business date, ISO ({@code 2026-11-24}): {@code BusinessDate = "..."}. */
  public static final SearchAttributeKey<String> BUSINESS_DATE =
      SearchAttributeKey.forKeyword("BusinessDate");

  /** 1 for the scheduled run of a day, n+1 for a rerun of run n. */
  public static final SearchAttributeKey<Long> RUN_NUMBER = SearchAttributeKey.forLong("RunNumber");

  /** Where a settlement run, payout file or reconciliation stands, e.g. awaiting_approval. */
  public static final SearchAttributeKey<String> SETTLEMENT_STATUS =
      SearchAttributeKey.forKeyword("SettlementStatus");

  /** All of the above, in the order {@code search-attributes.txt} lists them. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(
          MERCHANT_ID,
          PAYMENT_ID,
          PAYMENT_STATUS,
          AMOUNT_MINOR,
          CURRENCY,
          BUSINESS_DATE,
          RUN_NUMBER,
          SETTLEMENT_STATUS);

  private PayrailSearchAttributes() {}
}
