package io.payrail.api.settlement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payrail.api.error.ApiException;
import io.payrail.api.merchant.MerchantPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Merchants' settlement terms: admins create versions (never edit one: a correction is a new
 * version, so a rerun of a past day can show what it changes) and list them; a merchant reads the
 * version in force. The payout account is shown masked to everyone, admins included: once sealed,
 * only the payout file generator opens it.
 */
@RestController
@Tag(name = "Settlement terms")
class SettlementTermsController {

  private final SettlementTermsService service;
  private final SettlementTermsRepository terms;
  private final SettlementProperties settlement;
  private final Clock clock;

  SettlementTermsController(
      SettlementTermsService service,
      SettlementTermsRepository terms,
      SettlementProperties settlement,
      Clock clock) {
    this.service = service;
    this.terms = terms;
    this.settlement = settlement;
    this.clock = clock;
  }

  @PostMapping("/admin/v1/merchants/{merchantId}/settlement_terms")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a version of a merchant's settlement terms (admin); audited")
  TermsResponse create(
      @PathVariable String merchantId, @Valid @RequestBody CreateTermsRequest request) {
    SettlementTerms created = service.create(merchantId, request);
    return TermsResponse.of(created, inForceNow(terms.versions(merchantId), created));
  }

  @GetMapping("/admin/v1/merchants/{merchantId}/settlement_terms")
  @Operation(summary = "A merchant's settlement terms versions, newest first (admin)")
  TermsList list(@PathVariable String merchantId) {
    if (!terms.merchantExists(merchantId)) {
      throw ApiException.notFound("merchant", merchantId);
    }
    List<SettlementTerms> versions = terms.versions(merchantId);
    Long inForce = inForceId(versions);
    return new TermsList(
        "list",
        inForce == null ? null : inForce.toString(),
        versions.stream()
            .map(v -> TermsResponse.of(v, inForce != null && inForce == v.id()))
            .toList());
  }

  @GetMapping("/v1/settlement_terms")
  @Operation(summary = "The merchant's settlement terms in force today")
  TermsResponse current(@AuthenticationPrincipal MerchantPrincipal caller) {
    List<SettlementTerms> versions = terms.versions(caller.merchantId());
    Long inForce = inForceId(versions);
    return versions.stream()
        .filter(v -> inForce != null && v.id() == inForce)
        .findFirst()
        .map(v -> TermsResponse.of(v, true))
        .orElseThrow(() -> ApiException.notFound("settlement_terms", caller.merchantId()));
  }

  /**
   * The version in force on the business day now running in its currency. Versions of different
   * currencies (a merchant moving from USD to EUR) are placed on the business day of the newest.
   */
  private Long inForceId(List<SettlementTerms> newestFirst) {
    if (newestFirst.isEmpty()) {
      return null;
    }
    LocalDate today =
        settlement.businessDate(newestFirst.getFirst().settlementCurrency(), clock.instant());
    return SettlementTermsRepository.inForce(newestFirst, today)
        .map(SettlementTerms::id)
        .orElse(null);
  }

  private boolean inForceNow(List<SettlementTerms> newestFirst, SettlementTerms version) {
    Long inForce = inForceId(newestFirst);
    return inForce != null && inForce == version.id();
  }

  /**
   * A new version. Amounts are minor units of the settlement currency; basis points are hundredths
   * of a percent (250 = 2.5 %).
   */
  record CreateTermsRequest(
      @NotNull LocalDate effectiveFrom,
      @NotNull @Pattern(regexp = "USD|EUR", message = "must be USD (ach) or EUR (sepa)")
          String settlementCurrency,
      @NotNull @Min(0) @Max(10_000) Integer feeBasisPoints,
      @NotNull @Min(0) @Max(100_000_000) Long feeFixed,
      @NotNull @Pattern(regexp = "none|percentage", message = "must be none or percentage")
          String refundFeePolicy,
      @NotNull @Min(0) @Max(30) Integer payoutDelayDays,
      @NotNull @Min(0) @Max(100_000_000_000L) Long minimumPayout,
      @NotNull @Min(0) @Max(10_000) Integer reserveBasisPoints,
      @NotNull @Min(0) @Max(365) Integer reserveHoldDays,
      @NotNull @Pattern(regexp = "ach|sepa", message = "must be ach or sepa") String payoutRail,
      @NotNull @Valid BankAccountRequest bankAccount) {}

  /**
   * The payout account: {@code ach} takes routing_number and account_number, {@code sepa} takes
   * iban and bic.
   */
  record BankAccountRequest(
      @NotBlank @Size(max = 140) String accountHolder,
      String routingNumber,
      @Size(max = 64) String accountNumber,
      @Size(max = 64) String iban,
      @Size(max = 16) String bic) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BankAccountResponse(
      String accountHolder, String routingNumber, String bic, String last4, String masked) {}

  record TermsResponse(
      String id,
      String object,
      String merchant,
      LocalDate effectiveFrom,
      boolean inForce,
      String settlementCurrency,
      int feeBasisPoints,
      long feeFixed,
      String refundFeePolicy,
      int payoutDelayDays,
      long minimumPayout,
      int reserveBasisPoints,
      int reserveHoldDays,
      String payoutRail,
      BankAccountResponse bankAccount,
      long created) {
    static TermsResponse of(SettlementTerms t, boolean inForce) {
      return new TermsResponse(
          Long.toString(t.id()),
          "settlement_terms",
          t.merchantId(),
          t.effectiveFrom(),
          inForce,
          t.settlementCurrency(),
          t.feeBasisPoints(),
          t.feeFixed(),
          t.refundFeePolicy(),
          t.payoutDelayDays(),
          t.minimumPayout(),
          t.reserveBasisPoints(),
          t.reserveHoldDays(),
          t.payoutRail(),
          new BankAccountResponse(
              t.accountHolder(),
              t.routingNumber(),
              t.bic(),
              t.accountLast4(),
              BankAccounts.masked(t.accountLast4())),
          t.createdAt().getEpochSecond());
    }
  }

  /** Versions newest first, and the id of the one in force today (null before the first starts). */
  record TermsList(String object, String inForce, List<TermsResponse> data) {}
}
