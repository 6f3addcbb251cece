package io.payrail.api.settlement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payrail.api.error.ApiException;
import io.payrail.api.merchant.MerchantPrincipal;
import io.payrail.api.payment.CursorPages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/payouts}: a merchant's own payouts, paged like its payments. Another merchant's payout
 * id answers 404, as an unknown one does.
 */
@RestController
@Tag(name = "Payouts")
class PayoutController {

  private final PayoutRepository payouts;

  PayoutController(PayoutRepository payouts) {
    this.payouts = payouts;
  }

  @GetMapping("/v1/payouts")
  @Operation(summary = "List the merchant's payouts, newest first")
  PayoutList list(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Parameter(description = "1 to 100, default 10") @RequestParam(defaultValue = "10") int limit,
      @Parameter(description = "A payout id: the page after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter,
      @Parameter(description = "A payout id: the page before it")
          @RequestParam(name = "ending_before", required = false)
          String endingBefore) {
    CursorPages.check(limit, startingAfter, endingBefore);
    CursorPages.Page<PayoutRepository.Payout> page =
        payouts.list(caller.merchantId(), null, limit, startingAfter, endingBefore);
    return new PayoutList(
        "list", "/v1/payouts", page.hasMore(), page.data().stream().map(PayoutObject::of).toList());
  }

  @GetMapping("/v1/payouts/{id}")
  @Operation(summary = "Retrieve one of the merchant's payouts")
  PayoutObject get(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    return payouts
        .find(caller.merchantId(), id)
        .map(PayoutObject::of)
        .orElseThrow(() -> ApiException.notFound("payout", id));
  }

  /**
   * A payout as its merchant sees it. {@code arrival_date} (Unix seconds) is set once the bank
   * confirmed it paid; {@code return_code} (R01, R03...) once it returned it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PayoutObject(
      String id,
      String object,
      long amount,
      String currency,
      String status,
      String rail,
      LocalDate businessDate,
      Long arrivalDate,
      long created,
      String returnCode) {
    static PayoutObject of(PayoutRepository.Payout payout) {
      return new PayoutObject(
          payout.id(),
          "payout",
          payout.amount(),
          payout.currency().toLowerCase(java.util.Locale.ROOT),
          payout.status(),
          payout.rail(),
          payout.businessDate(),
          "paid".equals(payout.status()) ? payout.updatedAt().toEpochSecond() : null,
          payout.createdAt().toEpochSecond(),
          payout.returnCode());
    }
  }

  record PayoutList(String object, String url, boolean hasMore, List<PayoutObject> data) {}
}
