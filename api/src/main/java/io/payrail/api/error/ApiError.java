package io.payrail.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response, Stripe's shape: {@code {"error": {"type": ..., "code": ...,
 * "message": ..., "param": ..., "decline_code": ..., "request_id": ...}}}. {@code param} names the
 * offending field; a declined card adds the issuer's {@code decline_code} and the failed {@code
 * payment}, so the merchant has its id.
 */
public record ApiError(Body error) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(
      String type,
      String code,
      String message,
      String param,
      String declineCode,
      Object payment,
      String requestId) {}

  public static ApiError of(String type, String code, String message, String param, String id) {
    return new ApiError(new Body(type, code, message, param, null, null, id));
  }

  public static ApiError of(ApiException e, String requestId) {
    return new ApiError(
        new Body(
            e.type(),
            e.code(),
            e.getMessage(),
            e.param(),
            e.declineCode(),
            e.payment(),
            requestId));
  }
}
