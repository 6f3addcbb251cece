package io.payrail.banksim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The simulated acquirer's books: authorizations and what was captured, voided and refunded on
 * each, with every request remembered by its request id so that a repeat is answered, not redone.
 * Thread-safe: one request id is processed at a time, one authorization changes at a time.
 */
final class Bank {

  private final Map<String, Authorization> authorizations = new ConcurrentHashMap<>();
  private final Map<String, Recorded> requests = new ConcurrentHashMap<>();
  private final Map<String, Object> requestLocks = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();

  private final AtomicLong approved = new AtomicLong();
  private final AtomicLong declined = new AtomicLong();
  private final AtomicLong captures = new AtomicLong();
  private final AtomicLong voids = new AtomicLong();
  private final AtomicLong refunds = new AtomicLong();
  private final AtomicLong duplicateCaptureAttempts = new AtomicLong();
  private final AtomicLong overRefundAttempts = new AtomicLong();
  private final Map<String, AtomicLong> capturedByCurrency = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> refundedByCurrency = new ConcurrentHashMap<>();

  /**
   * Runs {@code operation} once per request id. A repeat with the same body gets the first answer
   * again; a repeat with another body is refused. Retryable failures are not remembered, so the
   * request may be retried.
   */
  BankOutcome once(
      String requestId, String operationName, JsonNode body, Supplier<BankOutcome> operation) {
    Recorded fingerprint = new Recorded(operationName, body, null);
    synchronized (requestLocks.computeIfAbsent(requestId, id -> new Object())) {
      Recorded earlier = requests.get(requestId);
      if (earlier != null) {
        return earlier.sameRequestAs(fingerprint)
            ? earlier.outcome()
            : BankOutcome.error(
                409,
                "idempotency_mismatch",
                "request_id " + requestId + " was used for another request");
      }
      BankOutcome outcome = operation.get();
      if (!outcome.retryable()) {
        requests.put(requestId, new Recorded(operationName, body, outcome));
      }
      return outcome;
    }
  }

  /** How many times this request id has been attempted, this one included. */
  int attempt(String requestId) {
    return attempts.computeIfAbsent(requestId, id -> new AtomicInteger()).incrementAndGet();
  }

  BankOutcome authorize(long amount, String currency, TestCard card) {
    String declineCode = card.declineCode();
    if (declineCode != null) {
      declined.incrementAndGet();
      return BankOutcome.ok(body("status", "declined", "decline_code", declineCode));
    }
    Authorization authorization =
        new Authorization("auth_" + nextId.incrementAndGet(), amount, currency);
    authorizations.put(authorization.id, authorization);
    approved.incrementAndGet();
    return BankOutcome.ok(authorization.view());
  }

  BankOutcome capture(String authorizationId, long amount) {
    Authorization authorization = authorizations.get(authorizationId);
    if (authorization == null) {
      return noSuch(authorizationId);
    }
    synchronized (authorization) {
      switch (authorization.status) {
        case "captured" -> {
          duplicateCaptureAttempts.incrementAndGet();
          return BankOutcome.error(
              409, "already_captured", authorizationId + " is already captured");
        }
        case "voided" -> {
          return BankOutcome.error(409, "authorization_voided", authorizationId + " was voided");
        }
        default -> {
          if (amount > authorization.amount) {
            return BankOutcome.error(
                409, "amount_too_large", "capture exceeds the authorized amount");
          }
          authorization.status = "captured";
          authorization.captured = amount;
          captures.incrementAndGet();
          add(capturedByCurrency, authorization.currency, amount);
          return BankOutcome.ok(authorization.view());
        }
      }
    }
  }

  BankOutcome voidAuthorization(String authorizationId) {
    Authorization authorization = authorizations.get(authorizationId);
    if (authorization == null) {
      return noSuch(authorizationId);
    }
    synchronized (authorization) {
      if (!authorization.status.equals("authorized")) {
        return BankOutcome.error(
            409, "not_voidable", authorizationId + " is " + authorization.status);
      }
      authorization.status = "voided";
      voids.incrementAndGet();
      return BankOutcome.ok(authorization.view());
    }
  }

  BankOutcome refund(String authorizationId, long amount) {
    Authorization authorization = authorizations.get(authorizationId);
    if (authorization == null) {
      return noSuch(authorizationId);
    }
    synchronized (authorization) {
      if (!authorization.status.equals("captured")) {
        return BankOutcome.error(
            409, "not_captured", authorizationId + " is " + authorization.status);
      }
      if (amount > authorization.captured - authorization.refunded) {
        overRefundAttempts.incrementAndGet();
        return BankOutcome.error(409, "amount_too_large", "refund exceeds the unrefunded capture");
      }
      authorization.refunded += amount;
      refunds.incrementAndGet();
      add(refundedByCurrency, authorization.currency, amount);
      Map<String, Object> view = authorization.view();
      view.put("refund_id", "rf_" + nextId.incrementAndGet());
      view.put("refund_amount", amount);
      return BankOutcome.ok(view);
    }
  }

  /** An inquiry: what the bank answered to a request id, or 404 when it never processed it. */
  BankOutcome inquire(String requestId) {
    Recorded recorded = requests.get(requestId);
    if (recorded == null) {
      return BankOutcome.error(
          404, "request_unknown", "no request " + requestId + " was processed");
    }
    return BankOutcome.ok(
        body(
            "request_id", requestId,
            "operation", recorded.operation(),
            "http_status", recorded.outcome().status(),
            "response", recorded.outcome().body()));
  }

  Map<String, Object> stats() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("authorizations_approved", approved.get());
    stats.put("authorizations_declined", declined.get());
    stats.put("captures", captures.get());
    stats.put("captured", totals(capturedByCurrency));
    stats.put("voids", voids.get());
    stats.put("refunds", refunds.get());
    stats.put("refunded", totals(refundedByCurrency));
    stats.put("duplicate_capture_attempts", duplicateCaptureAttempts.get());
    stats.put("over_refund_attempts", overRefundAttempts.get());
    stats.put("requests_remembered", requests.size());
    return stats;
  }

  void reset() {
    authorizations.clear();
    requests.clear();
    attempts.clear();
    for (AtomicLong counter :
        new AtomicLong[] {
          approved, declined, captures, voids, refunds, duplicateCaptureAttempts, overRefundAttempts
        }) {
      counter.set(0);
    }
    capturedByCurrency.clear();
    refundedByCurrency.clear();
  }

  private static BankOutcome noSuch(String authorizationId) {
    return BankOutcome.error(404, "no_such_authorization", "no authorization " + authorizationId);
  }

  private static void add(Map<String, AtomicLong> totals, String currency, long amount) {
    totals.computeIfAbsent(currency, c -> new AtomicLong()).addAndGet(amount);
  }

  private static Map<String, Long> totals(Map<String, AtomicLong> totals) {
    Map<String, Long> copy = new TreeMap<>();
    totals.forEach((currency, total) -> copy.put(currency, total.get()));
    return copy;
  }

  private static Map<String, Object> body(Object... keysAndValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return body;
  }

  private static final class Authorization {
    final String id;
    final long amount;
    final String currency;
    String status = "authorized";
    long captured;
    long refunded;

    Authorization(String id, long amount, String currency) {
      this.id = id;
      this.amount = amount;
      this.currency = currency;
    }

    Map<String, Object> view() {
      return body(
          "status", status,
          "authorization_id", id,
          "amount", amount,
          "currency", currency,
          "captured_amount", captured,
          "refunded_amount", refunded);
    }
  }

  /** A processed request: which operation, with which body, and the answer it got. */
  private record Recorded(String operation, JsonNode body, BankOutcome outcome) {
    boolean sameRequestAs(Recorded other) {
      return operation.equals(other.operation) && body.equals(other.body);
    }
  }
}
