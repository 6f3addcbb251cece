package io.payrail.api.merchant;

import io.payrail.api.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
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
          new ApiKeyResponse(created.keyId(), "api_key", created.keyPrefix(), created.secretKey()));
    }
  }

  record ApiKeyResponse(String id, String object, String prefix, String secret) {}
}
