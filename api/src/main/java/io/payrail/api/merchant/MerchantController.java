package io.payrail.api.merchant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payrail.api.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Merchants")
class MerchantController {

  private final MerchantRepository merchants;

  MerchantController(MerchantRepository merchants) {
    this.merchants = merchants;
  }

  @GetMapping("/v1/merchant")
  @Operation(summary = "The merchant the API key belongs to")
  MerchantResponse current(@AuthenticationPrincipal MerchantPrincipal caller) {
    return merchants
        .findById(caller.merchantId())
        .map(MerchantResponse::of)
        .orElseThrow(() -> ApiException.notFound("merchant", caller.merchantId()));
  }

  /**
   * Changes the merchant's own settings: its email for alerts, and whether customers get receipts.
   * What the body leaves out stays as it is; {@code "email": ""} removes the email.
   */
  @PostMapping("/v1/merchant")
  @Operation(summary = "Update the merchant's email and receipt settings")
  MerchantResponse update(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @Valid @RequestBody UpdateMerchantRequest request) {
    Receipts receipts = request.receipts();
    return merchants
        .update(
            caller.merchantId(),
            request.email() == null ? null : request.email().strip(),
            receipts == null ? null : receipts.payments(),
            receipts == null ? null : receipts.refunds())
        .map(MerchantResponse::of)
        .orElseThrow(() -> ApiException.notFound("merchant", caller.merchantId()));
  }

  /**
   * Creates a merchant and its first test key. The key is in this response only: Payrail keeps just
   * its hash.
   */
  @PostMapping("/admin/v1/merchants")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a merchant with a test API key (admin)")
  CreatedMerchantResponse create(@Valid @RequestBody CreateMerchantRequest request) {
    String email = request.email() == null ? null : request.email().strip();
    return CreatedMerchantResponse.of(
        merchants.create(request.name().strip(), email == null || email.isEmpty() ? null : email));
  }

  /** A further test key, e.g. to rotate: create the new one, deploy it, revoke the old one. */
  @PostMapping("/admin/v1/merchants/{merchantId}/api_keys")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create another API key for a merchant (admin); the secret is shown once")
  ApiKeyResponse createKey(@PathVariable String merchantId) {
    MerchantRepository.NewKey created =
        merchants
            .createKey(merchantId)
            .orElseThrow(() -> ApiException.notFound("merchant", merchantId));
    return ApiKeyResponse.of(created.key(), created.secret());
  }

  @GetMapping("/admin/v1/merchants/{merchantId}/api_keys")
  @Operation(summary = "A merchant's API keys (admin): prefixes and dates, never secrets")
  ApiKeyList keys(@PathVariable String merchantId) {
    if (merchants.findById(merchantId).isEmpty()) {
      throw ApiException.notFound("merchant", merchantId);
    }
    return new ApiKeyList(
        "list",
        merchants.keys(merchantId).stream().map(key -> ApiKeyResponse.of(key, null)).toList());
  }

  /** Effective at once: the next request with the key answers 401. */
  @PostMapping("/admin/v1/merchants/{merchantId}/api_keys/{keyId}/revoke")
  @Operation(summary = "Revoke an API key (admin)")
  ApiKeyResponse revokeKey(@PathVariable String merchantId, @PathVariable String keyId) {
    return merchants
        .revoke(merchantId, keyId)
        .map(key -> ApiKeyResponse.of(key, null))
        .orElseThrow(() -> ApiException.notFound("api_key", keyId));
  }

  /**
   * An email address or nothing: at most 254 characters, one @, no spaces, brackets or control
   * characters.
   */
  static final String EMAIL = "^$|^[^@\\s<>\",;\\p{Cntrl}]{1,64}@[^@\\s<>\",;\\p{Cntrl}]{1,253}$";

  record CreateMerchantRequest(
      @NotBlank @Size(max = 200) String name,
      @Size(max = 254) @Pattern(regexp = EMAIL, message = "must be an email address")
          String email) {}

  record UpdateMerchantRequest(
      @Size(max = 254) @Pattern(regexp = EMAIL, message = "must be an email address") String email,
      @Valid Receipts receipts) {}

  /** Whether customers get an emailed receipt for succeeded payments and for refunds. */
  record Receipts(Boolean payments, Boolean refunds) {}

  record MerchantResponse(
      String id, String object, String name, String email, Receipts receipts, long created) {
    static MerchantResponse of(Merchant merchant) {
      return new MerchantResponse(
          merchant.id(),
          "merchant",
          merchant.name(),
          merchant.email(),
          new Receipts(merchant.receiptsPayments(), merchant.receiptsRefunds()),
          merchant.createdAt().getEpochSecond());
    }
  }

  record CreatedMerchantResponse(
      String id, String object, String name, long created, ApiKeyResponse apiKey) {
    static CreatedMerchantResponse of(MerchantRepository.MerchantWithKey created) {
      Merchant merchant = created.merchant();
      return new CreatedMerchantResponse(
          merchant.id(),
          "merchant",
          merchant.name(),
          merchant.createdAt().getEpochSecond(),
          new ApiKeyResponse(
              created.keyId(),
              "api_key",
              created.keyPrefix(),
              created.secretKey(),
              merchant.createdAt().getEpochSecond(),
              null));
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ApiKeyResponse(
      String id, String object, String prefix, String secret, long created, Long revoked) {
    static ApiKeyResponse of(MerchantRepository.KeyInfo key, String secret) {
      return new ApiKeyResponse(
          key.id(),
          "api_key",
          key.prefix(),
          secret,
          key.created().getEpochSecond(),
          key.revoked() == null ? null : key.revoked().getEpochSecond());
    }
  }

  record ApiKeyList(String object, List<ApiKeyResponse> data) {}
}
