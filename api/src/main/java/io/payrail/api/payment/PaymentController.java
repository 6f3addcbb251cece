package io.payrail.api.payment;

import io.payrail.api.idempotency.Idempotency;
import io.payrail.api.merchant.ApiKeys;
import io.payrail.api.merchant.MerchantPrincipal;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.payment.PaymentObject;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/payments}. Every POST takes an {@code Idempotency-Key}. A payment that ends {@code
 * failed} answers 402 with a {@code card_error} that carries the payment.
 */
@RestController
@Tag(name = "Payments")
class PaymentController {

  private static final String KEY_DOC = "Makes the request safe to retry: see the README";

  private final PaymentService service;
  private final PaymentRepository payments;
  private final Idempotency idempotency;
  private final CardVault vault;

  PaymentController(
      PaymentService service,
      PaymentRepository payments,
      Idempotency idempotency,
      CardVault vault) {
    this.service = service;
    this.payments = payments;
    this.idempotency = idempotency;
    this.vault = vault;
  }

  @PostMapping("/v1/payments")
  @Operation(
      summary = "Create a payment and authorize it",
      description =
          "Answers once the bank has: requires_capture (manual), succeeded (automatic), or 402"
              + " when the card is declined.")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      description = "The payment",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = PaymentObject.class)))
  ResponseEntity<?> create(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Parameter(description = KEY_DOC) @RequestHeader(name = Idempotency.HEADER, required = false)
          String key,
      @Valid @RequestBody PaymentRequests.Create request,
      HttpServletRequest http) {
    return idempotency.run(
        caller.merchantId(),
        key,
        "POST",
        http.getRequestURI(),
        request.withoutCardSecrets(vault::fingerprint),
        () -> ApiKeys.newId("pay"),
        paymentId -> service.create(caller.merchantId(), paymentId, request).response());
  }

  @GetMapping("/v1/payments/{id}")
  @Operation(summary = "Retrieve a payment")
  PaymentObject get(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    return service.current(caller.merchantId(), id);
  }

  @GetMapping("/v1/payments")
  @Operation(summary = "List payments, newest first")
  PaymentList list(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Parameter(description = "1 to 100, default 10") @RequestParam(defaultValue = "10") int limit,
      @Parameter(description = "A payment id: the page after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter,
      @Parameter(description = "A payment id: the page before it")
          @RequestParam(name = "ending_before", required = false)
          String endingBefore,
      @RequestParam(required = false) String status,
      @Parameter(description = "Unix seconds") @RequestParam(name = "created[gt]", required = false)
          Long createdGt,
      @RequestParam(name = "created[gte]", required = false) Long createdGte,
      @RequestParam(name = "created[lt]", required = false) Long createdLt,
      @RequestParam(name = "created[lte]", required = false) Long createdLte) {
    CursorPages.Page<PaymentObject> page =
        payments.list(
            caller.merchantId(),
            new PaymentRepository.ListQuery(
                limit,
                startingAfter,
                endingBefore,
                status,
                createdGt,
                createdGte,
                createdLt,
                createdLte));
    return new PaymentList("list", "/v1/payments", page.hasMore(), page.data());
  }

  @PostMapping("/v1/payments/{id}/capture")
  @Operation(summary = "Capture an authorized payment, all of it or less (the rest is released)")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      description = "The payment",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = PaymentObject.class)))
  ResponseEntity<?> capture(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @PathVariable String id,
      @Parameter(description = KEY_DOC) @RequestHeader(name = Idempotency.HEADER, required = false)
          String key,
      @Valid @RequestBody(required = false) PaymentRequests.Capture request,
      HttpServletRequest http) {
    PaymentRequests.Capture body = request == null ? new PaymentRequests.Capture(null) : request;
    return idempotency.run(
        caller.merchantId(),
        key,
        "POST",
        http.getRequestURI(),
        body,
        () -> id,
        paymentId -> service.capture(caller.merchantId(), paymentId, body).response());
  }

  @PostMapping("/v1/payments/{id}/cancel")
  @Operation(summary = "Cancel an uncaptured payment; the authorization is voided")
  @io.swagger.v3.oas.annotations.responses.ApiResponse(
      responseCode = "200",
      description = "The payment",
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = PaymentObject.class)))
  ResponseEntity<?> cancel(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @PathVariable String id,
      @Parameter(description = KEY_DOC) @RequestHeader(name = Idempotency.HEADER, required = false)
          String key,
      @Valid @RequestBody(required = false) PaymentRequests.Cancel request,
      HttpServletRequest http) {
    PaymentRequests.Cancel body = request == null ? new PaymentRequests.Cancel(null) : request;
    return idempotency.run(
        caller.merchantId(),
        key,
        "POST",
        http.getRequestURI(),
        body,
        () -> id,
        paymentId -> service.cancel(caller.merchantId(), paymentId, body).response());
  }

  record PaymentList(String object, String url, boolean hasMore, List<PaymentObject> data) {}
}
