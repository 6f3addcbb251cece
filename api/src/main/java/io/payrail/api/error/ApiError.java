package io.payrail.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response, Stripe's shape: {@code {"error": {"type": ..., "code": ...,
 * "message": ..., "param": ..., "request_id": ...}}}. {@code param} names the offending field.
 */
public record ApiError(Body error) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(String type, String code, String message, String param, String requestId) {}

  public static ApiError of(String type, String code, String message, String param, String id) {
    return new ApiError(new Body(type, code, message, param, id));
  }
}
