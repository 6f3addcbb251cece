package io.payrail.api.merchant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payrail.api.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
   * Creates a merchant and its first test key. The key is in this response only: Payrail keeps just
   * its hash.
   */
  @PostMapping("/admin/v1/merchants")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Create a merchant with a test API key (admin)")
  CreatedMerchantResponse create(@Valid @RequestBody CreateMerchantRequest request) {
    return CreatedMerchantResponse.of(merchants.create(request.name().strip()));
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

  record CreateMerchantRequest(@NotBlank @Size(max = 200) String name) {}

  record MerchantResponse(String id, String object, String name, long created) {
    static MerchantResponse of(Merchant merchant) {
      return new MerchantResponse(
          merchant.id(), "merchant", merchant.name(), merchant.createdAt().getEpochSecond());
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
