package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bank behind {@link BankActivities} that deduplicates by request id, as the real one does, and
 * can lose answers: {@code loseAnswerOnce} processes a request and then reports an unknown outcome;
 * {@code dropRequestOnce} reports an unknown outcome without processing it.
 */
class FakeBank implements BankActivities {

  final Map<String, BankResult> processed = new ConcurrentHashMap<>();
  final AtomicInteger authorizations = new AtomicInteger();
  final AtomicInteger captures = new AtomicInteger();
  final AtomicInteger voids = new AtomicInteger();
  final java.util.concurrent.atomic.AtomicLong refunded =
      new java.util.concurrent.atomic.AtomicLong();
  volatile String refuseRefundWith;

  /** How many void requests find the bank unreachable (answered 5xx) before one gets through. */
  final AtomicInteger voidsUnreachable = new AtomicInteger();

  volatile String declineCode;
  volatile String refuseCaptureWith;
  volatile String loseAnswerOnce;
  volatile String dropRequestOnce;

  /**
   * Every authorization request is lost in transit, and the inquiries find nothing, until the
   * workflow has given up: the next inquiry finds that one of them arrived late after all.
   */
  volatile boolean authorizationArrivesLate;

  private final AtomicInteger authorizationInquiries = new AtomicInteger();

  @Override
  public BankResult authorize(String requestId, Money amount, String cardToken) {
    if (authorizationArrivesLate) {
      throw unknown(requestId);
    }
    return once(
        requestId,
        () -> {
          if (declineCode != null) {
            return BankResult.declined(declineCode);
          }
          authorizations.incrementAndGet();
          return BankResult.accepted("auth_" + requestId);
        });
  }

  @Override
  public BankResult capture(String requestId, String authorizationId, Money amount) {
    return once(
        requestId,
        () -> {
          if (refuseCaptureWith != null) {
            return BankResult.refused(refuseCaptureWith);
          }
          captures.incrementAndGet();
          return BankResult.accepted(authorizationId);
        });
  }

  @Override
  public BankResult voidAuthorization(String requestId, String authorizationId) {
    if (voidsUnreachable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw ApplicationFailure.newFailure("bank unreachable", "BankUnavailable");
    }
    return once(
        requestId,
        () -> {
          voids.incrementAndGet();
          return BankResult.accepted(authorizationId);
        });
  }

  @Override
  public BankResult refund(String requestId, String authorizationId, Money amount) {
    return once(
        requestId,
        () -> {
          if (refuseRefundWith != null) {
            return BankResult.refused(refuseRefundWith);
          }
          refunded.addAndGet(amount.minor());
          return BankResult.accepted(authorizationId);
        });
  }

  @Override
  public BankInquiry inquire(String requestId) {
    if (authorizationArrivesLate
        && requestId.endsWith(":authorize")
        && authorizationInquiries.incrementAndGet() > PaymentWorkflowImpl.RESENDS) {
      authorizations.incrementAndGet();
      processed.putIfAbsent(requestId, BankResult.accepted("auth_" + requestId));
    }
    BankResult result = processed.get(requestId);
    return result == null ? BankInquiry.notProcessed() : BankInquiry.processed(result);
  }

  private BankResult once(String requestId, java.util.function.Supplier<BankResult> operation) {
    String operationName = requestId.substring(requestId.indexOf(':') + 1);
    if (operationName.equals(dropRequestOnce)) {
      dropRequestOnce = null;
      throw unknown(requestId);
    }
    BankResult result = processed.computeIfAbsent(requestId, id -> operation.get());
    if (operationName.equals(loseAnswerOnce)) {
      loseAnswerOnce = null;
      throw unknown(requestId);
    }
    return result;
  }

  private static ApplicationFailure unknown(String requestId) {
    return ApplicationFailure.newNonRetryableFailure("no answer for " + requestId, OUTCOME_UNKNOWN);
  }
}
