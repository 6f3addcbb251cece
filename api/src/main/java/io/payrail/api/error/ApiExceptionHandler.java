package io.payrail.api.error;

import io.payrail.workflows.common.CorrelationId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every failure to an {@link ApiError}: the caller's mistakes to a 4xx naming the field, our
 * own to a 500 that carries only the request id (the stack trace goes to the log, never out).
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError> refused(ApiException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    if (e.retryAfterSeconds() != null) {
      response.header(
          org.springframework.http.HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
    }
    return response.body(ApiError.of(e, MDC.get(CorrelationId.MDC_KEY)));
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
    FieldError field = e.getBindingResult().getFieldError();
    String param = field == null ? null : snakeCase(field.getField());
    String message =
        field == null ? "Invalid request" : "Invalid " + param + ": " + field.getDefaultMessage();
    return respond(
        HttpStatus.BAD_REQUEST, ErrorTypes.INVALID_REQUEST, "parameter_invalid", message, param);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyTooLargeException) {
        return respond(
            HttpStatus.CONTENT_TOO_LARGE,
            ErrorTypes.INVALID_REQUEST,
            "body_too_large",
            "The request body is too large",
            null);
      }
    }
    if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
      String param = path(unknown);
      return respond(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          "parameter_unknown",
          "Received unknown parameter: " + param,
          param);
    }
    if (e.getCause() instanceof JacksonException wrong && !wrong.getPath().isEmpty()) {
      String param = path(wrong);
      return respond(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          "parameter_invalid",
          "Invalid value for " + param + ": it has the wrong type or is out of range",
          param);
    }
    return respond(
        HttpStatus.BAD_REQUEST,
        ErrorTypes.INVALID_REQUEST,
        "body_invalid",
        "The request body is not valid JSON for this endpoint",
        null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException e) {
    return respond(
        HttpStatus.BAD_REQUEST,
        ErrorTypes.INVALID_REQUEST,
        "parameter_invalid",
        "Invalid value for " + e.getName(),
        e.getName());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return respond(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ErrorTypes.INVALID_REQUEST,
        "content_type_invalid",
        "Send the body as application/json",
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return respond(
        HttpStatus.NOT_ACCEPTABLE,
        ErrorTypes.INVALID_REQUEST,
        "accept_invalid",
        "Payrail answers in application/json",
        null);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    return respond(
        HttpStatus.METHOD_NOT_ALLOWED,
        ErrorTypes.INVALID_REQUEST,
        "method_not_allowed",
        e.getMethod() + " is not allowed here",
        null);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ApiError> noRoute(NoResourceFoundException e) {
    return respond(
        HttpStatus.NOT_FOUND,
        ErrorTypes.INVALID_REQUEST,
        "route_missing",
        "Unrecognized request URL",
        null);
  }

  /** Temporal cannot be reached: nothing was done, and the same request can be sent again. */
  @ExceptionHandler(io.temporal.client.WorkflowServiceException.class)
  ResponseEntity<ApiError> temporalUnavailable(io.temporal.client.WorkflowServiceException e) {
    log.error("Temporal call failed", e);
    return retryLater();
  }

  /**
   * The database is briefly unreachable (restarting, failing over, out of connections): the request
   * either committed nothing or is answered again from its Idempotency-Key, so the client is told
   * to retry, not that Payrail failed.
   */
  @ExceptionHandler({
    org.springframework.dao.DataAccessResourceFailureException.class,
    org.springframework.dao.TransientDataAccessException.class,
    org.springframework.dao.RecoverableDataAccessException.class
  })
  ResponseEntity<ApiError> databaseUnavailable(org.springframework.dao.DataAccessException e) {
    log.warn("database unavailable: {}", e.getMostSpecificCause().getMessage());
    return retryLater();
  }

  /**
   * The database went away inside a transaction's begin, commit or rollback (a restart cuts the
   * connection: "JDBC rollback failed"). As above: nothing half-done is visible, and a commit that
   * did land is answered again from the Idempotency-Key, so the client is told to retry.
   */
  @ExceptionHandler({
    org.springframework.transaction.TransactionSystemException.class,
    org.springframework.transaction.CannotCreateTransactionException.class
  })
  ResponseEntity<ApiError> transactionCut(org.springframework.transaction.TransactionException e) {
    log.warn(
        "database unavailable during a transaction: {}", e.getMostSpecificCause().getMessage());
    return retryLater();
  }

  /**
   * Vault does not answer: a card cannot be tokenized nor a webhook secret sealed, and nothing was
   * stored. There is no plaintext fallback: the client retries once Vault is back.
   */
  @ExceptionHandler(io.payrail.platform.vault.VaultUnavailableException.class)
  ResponseEntity<ApiError> vaultUnavailable(io.payrail.platform.vault.VaultUnavailableException e) {
    log.warn("{}", e.getMessage());
    return retryLater();
  }

  /** 503 with {@code Retry-After}: a dependency is briefly out of reach. */
  private static ResponseEntity<ApiError> retryLater() {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "1")
        .body(
            ApiError.of(
                ErrorTypes.API,
                "service_unavailable",
                "Payrail is briefly unavailable; retry the request with the same Idempotency-Key",
                null,
                MDC.get(CorrelationId.MDC_KEY)));
  }

  /** A query string Tomcat cannot split into parameters (an empty name, a broken escape). */
  @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
  ResponseEntity<ApiError> malformedQuery(Exception e) {
    return respond(
        HttpStatus.BAD_REQUEST,
        ErrorTypes.INVALID_REQUEST,
        "query_invalid",
        "The query string is malformed: every parameter needs a name and valid %-escapes",
        null);
  }

  /**
   * Text PostgreSQL will not store (the character U+0000) in a field without a check of its own:
   * the caller's input, not Payrail's failure.
   */
  @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
  ResponseEntity<ApiError> unstorable(org.springframework.dao.DataIntegrityViolationException e) {
    String cause = String.valueOf(e.getMostSpecificCause().getMessage());
    if (cause.contains("0x00")) {
      return respond(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          "parameter_invalid",
          "Text must not contain the character U+0000",
          null);
    }
    return unexpected(e);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError> unexpected(Exception e) {
    log.error("unhandled error", e);
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ErrorTypes.API,
        "internal_error",
        "Payrail could not complete the request; quote the request id to support",
        null);
  }

  static ResponseEntity<ApiError> respond(
      HttpStatus status, String type, String code, String message, String param) {
    return ResponseEntity.status(status)
        .body(ApiError.of(type, code, message, param, MDC.get(CorrelationId.MDC_KEY)));
  }

  /** The JSON path of the offending value, dotted: {@code card.exp_month}, {@code metadata.k}. */
  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
