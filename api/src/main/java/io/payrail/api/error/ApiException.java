package io.payrail.api.error;

import org.springframework.http.HttpStatus;

/** A request Payrail refuses, with the status and error body the caller gets. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String code;
  private final String param;

  public ApiException(HttpStatus status, String type, String code, String message, String param) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
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
}
