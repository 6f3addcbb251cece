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

  /** All of the above, in the order {@code search-attributes.txt} lists them. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(MERCHANT_ID, PAYMENT_ID, PAYMENT_STATUS, AMOUNT_MINOR, CURRENCY);

  private PayrailSearchAttributes() {}
}
