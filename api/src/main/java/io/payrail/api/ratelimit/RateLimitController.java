package io.payrail.api.ratelimit;

import io.payrail.api.error.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A merchant's rate limits, read and changed by admins. A change applies on the merchant's next
 * request on this instance, and within {@code payrail.rate-limits.overrides-cache-ttl} on the
 * others; a raised limit's extra tokens are available at once, a lowered one cuts what is left.
 */
@RestController
@Tag(name = "Rate limits")
class RateLimitController {

  private final MerchantLimits limits;
  private final RateLimitProperties settings;

  RateLimitController(MerchantLimits limits, RateLimitProperties settings) {
    this.limits = limits;
    this.settings = settings;
  }

  @GetMapping("/admin/v1/merchants/{merchantId}/rate_limits")
  @Operation(summary = "A merchant's rate limits, defaults and overrides (admin)")
  RateLimitsResponse get(@PathVariable String merchantId) {
    if (!limits.merchantExists(merchantId)) {
      throw ApiException.notFound("merchant", merchantId);
    }
    return response(merchantId, limits.overrides(merchantId));
  }

  /**
   * Overrides the default limit of the classes given; a class left out keeps its limit. To go back
   * to the default, set the default's figures.
   */
  @PostMapping("/admin/v1/merchants/{merchantId}/rate_limits")
  @Operation(summary = "Change a merchant's rate limits (admin); effective without a restart")
  RateLimitsResponse set(
      @PathVariable String merchantId, @Valid @RequestBody RateLimitsRequest request) {
    Map<EndpointClass, RateLimitProperties.Limit> changes = request.changes(settings);
    if (changes.isEmpty()) {
      throw ApiException.invalid(
          EndpointClass.MERCHANT_WRITES.jsonName(),
          "parameter_missing",
          "Give merchant_writes, merchant_reads or both");
    }
    Map<EndpointClass, MerchantLimits.Override> overrides =
        limits
            .set(merchantId, changes)
            .orElseThrow(() -> ApiException.notFound("merchant", merchantId));
    return response(merchantId, overrides);
  }

  private RateLimitsResponse response(
      String merchantId, Map<EndpointClass, MerchantLimits.Override> overrides) {
    return new RateLimitsResponse(
        "rate_limits",
        merchantId,
        LimitResponse.of(
            settings.limit(EndpointClass.MERCHANT_WRITES),
            overrides.get(EndpointClass.MERCHANT_WRITES)),
        LimitResponse.of(
            settings.limit(EndpointClass.MERCHANT_READS),
            overrides.get(EndpointClass.MERCHANT_READS)));
  }

  record RateLimitsRequest(@Valid LimitRequest merchantWrites, @Valid LimitRequest merchantReads) {

    Map<EndpointClass, RateLimitProperties.Limit> changes(RateLimitProperties settings) {
      Map<EndpointClass, RateLimitProperties.Limit> changes = new EnumMap<>(EndpointClass.class);
      if (merchantWrites != null) {
        changes.put(
            EndpointClass.MERCHANT_WRITES,
            merchantWrites.limit(settings.limit(EndpointClass.MERCHANT_WRITES)));
      }
      if (merchantReads != null) {
        changes.put(
            EndpointClass.MERCHANT_READS,
            merchantReads.limit(settings.limit(EndpointClass.MERCHANT_READS)));
      }
      return changes;
    }
  }

  /**
   * A bucket of {@code capacity} requests, refilled at {@code capacity} per {@code period_seconds}.
   */
  record LimitRequest(
      @NotNull @Min(1) @Max(1_000_000) Long capacity,
      @NotNull @Min(1) @Max(86_400) Long periodSeconds) {

    RateLimitProperties.Limit limit(RateLimitProperties.Limit defaults) {
      return defaults.withCapacityAndPeriod(capacity, Duration.ofSeconds(periodSeconds));
    }
  }

  /** The limit in force; {@code source} says whether it is the default or the merchant's own. */
  record LimitResponse(long capacity, long periodSeconds, String source) {
    static LimitResponse of(RateLimitProperties.Limit defaults, MerchantLimits.Override override) {
      return override == null
          ? new LimitResponse(defaults.capacity(), defaults.period().toSeconds(), "default")
          : new LimitResponse(override.capacity(), override.period().toSeconds(), "override");
    }
  }

  record RateLimitsResponse(
      String object, String merchant, LimitResponse merchantWrites, LimitResponse merchantReads) {}
}
