package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import io.payrail.api.idempotency.Idempotency;
import io.payrail.api.merchant.ApiKeys;
import io.payrail.api.merchant.MerchantPrincipal;
import io.payrail.platform.refund.RefundObject;
import io.payrail.platform.refund.RefundReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/refunds}: partial or full refunds of succeeded payments. */
@RestController
@Tag(name = "Refunds")
class RefundController {

  private final RefundService service;
  private final Idempotency idempotency;
  private final JdbcClient jdbc;
  private final RefundReads reads;

  RefundController(
      RefundService service, Idempotency idempotency, JdbcClient jdbc, RefundReads reads) {
    this.service = service;
    this.idempotency = idempotency;
    this.jdbc = jdbc;
    this.reads = reads;
  }

  @PostMapping("/v1/refunds")
  @Operation(
      summary = "Refund a payment, all that is left or part of it",
      description =
          "Answers once the bank has (succeeded or failed), or with status pending if it takes"
              + " longer; several partial refunds may follow each other until the captured amount"
              + " is used up.")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      description = "The refund",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(implementation = RefundObject.class)))
  ResponseEntity<?> create(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Parameter(description = "Makes the request safe to retry: see the README")
          @RequestHeader(name = Idempotency.HEADER, required = false)
          String key,
      @Valid @RequestBody PaymentRequests.Refund request,
      HttpServletRequest http) {
    return idempotency.run(
        caller.merchantId(),
        key,
        "POST",
        http.getRequestURI(),
        request,
        () -> ApiKeys.newId("re"),
        refundId -> service.create(caller.merchantId(), refundId, request).response());
  }

  @GetMapping("/v1/refunds/{id}")
  @Operation(summary = "Retrieve a refund")
  RefundObject get(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    return service.current(caller.merchantId(), id);
  }

  @GetMapping("/v1/refunds")
  @Operation(summary = "List refunds, newest first, optionally of one payment")
  RefundList list(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Parameter(description = "Only this payment's refunds")
          @RequestParam(name = "payment", required = false)
          String payment,
      @RequestParam(defaultValue = "10") int limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter,
      @RequestParam(name = "ending_before", required = false) String endingBefore) {
    CursorPages.check(limit, startingAfter, endingBefore);
    if (payment != null && !payment.matches("pay_[A-Za-z0-9]{24}")) {
      throw ApiException.invalid("payment", "parameter_invalid", "Not a payment id: " + payment);
    }
    CursorPages.Page<RefundObject> page =
        CursorPages.list(
            jdbc,
            RefundReads.SELECT,
            "refunds",
            "r",
            caller.merchantId(),
            payment == null ? "" : " AND r.payment_id = :payment",
            payment == null ? Map.of() : Map.of("payment", payment),
            limit,
            startingAfter,
            endingBefore,
            reads::map);
    return new RefundList("list", "/v1/refunds", page.hasMore(), page.data());
  }

  record RefundList(String object, String url, boolean hasMore, List<RefundObject> data) {}
}
