package io.payrail.api.error;

/** The {@code error.type} values, as Stripe names them. */
public final class ErrorTypes {

  public static final String INVALID_REQUEST = "invalid_request_error";
  public static final String CARD = "card_error";
  public static final String AUTHENTICATION = "authentication_error";
  public static final String PERMISSION = "permission_error";
  public static final String API = "api_error";
  public static final String IDEMPOTENCY = "idempotency_error";
  public static final String RATE_LIMIT = "rate_limit_error";

  private ErrorTypes() {}
}
