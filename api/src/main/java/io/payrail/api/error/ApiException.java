package io.payrail.api.error;

import org.springframework.http.HttpStatus;

/** A request Payrail refuses, with the status and error body the caller gets. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String code;
  private final String param;
  private final String declineCode;
  private final Object payment;
  private Long retryAfterSeconds;

  public ApiException(HttpStatus status, String type, String code, String message, String param) {
    this(status, type, code, message, param, null, null);
  }

  private ApiException(
      HttpStatus status,
      String type,
      String code,
      String message,
      String param,
      String declineCode,
      Object payment) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.declineCode = declineCode;
    this.payment = payment;
  }

  /**
   * 402: the payment was created but failed (declined by the issuer, blocked by a risk rule, or the
   * bank could not be reached); the body carries the failed payment.
   */
  public static ApiException paymentFailed(
      String code, String declineCode, String message, Object payment) {
    return new ApiException(
        HttpStatus.PAYMENT_REQUIRED, ErrorTypes.CARD, code, message, null, declineCode, payment);
  }

  /** 400 with {@code param} named: the caller can fix the field and try again. */
  public static ApiException invalid(String param, String code, String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST, ErrorTypes.INVALID_REQUEST, code, message, param);
  }

  /** Unknown, or another merchant's: the two answer alike, so ids reveal nothing. */
  public static ApiException notFound(String object, String id) {
    return new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorTypes.INVALID_REQUEST,
        "resource_missing",
        "No such " + object + ": '" + id + "'",
        "id");
  }

  /** The same refusal, telling the caller when to try again (a {@code Retry-After} header). */
  public ApiException retryAfter(long seconds) {
    this.retryAfterSeconds = Math.max(1, seconds);
    return this;
  }

  /** Seconds to wait before retrying, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public HttpStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public String declineCode() {
    return declineCode;
  }

  public Object payment() {
    return payment;
  }
}
