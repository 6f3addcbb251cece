package io.payrail.workflows.payment;

import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.refund.RefundInput;
import io.payrail.workflows.refund.RefundRecordActivities;
import io.payrail.workflows.refund.RefundRequest;
import io.payrail.workflows.refund.RefundStatus;
import io.payrail.workflows.refund.RefundTransition;
import io.payrail.workflows.refund.RefundView;
import io.payrail.workflows.refund.RefundWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

public class PaymentWorkflowImpl implements PaymentWorkflow {

  /** ApplicationFailure type of an update that the payment's state does not allow. */
  public static final String INVALID_TRANSITION = InvalidTransitionException.class.getName();

  /** How often a bank request the bank never processed is sent again before giving up. */
  static final int RESENDS = BankCalls.RESENDS;

  private final FraudActivities fraud =
      Workflow.newActivityStub(
          FraudActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(5))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(200))
                      .setMaximumInterval(Duration.ofSeconds(10))
                      .setMaximumAttempts(5)
                      .build())
              .build());

  private final BankCalls bankCalls = new BankCalls();
  private final BankActivities bank = bankCalls.bank();

  private final RefundRecordActivities refundRecords =
      Workflow.newActivityStub(
          RefundRecordActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(500))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

  private final PaymentRecordActivities records =
      Workflow.newActivityStub(
          PaymentRecordActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(500))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

  private PaymentInput input;
  private PaymentStatus status = PaymentStatus.PROCESSING;
  private int sequence;
  private String authorizationId;
  private Money amountCaptured;
  private String declineCode;
  private String failureMessage;
  private String cancellationReason;
  private boolean operationInProgress;
  private int recordedSequence;
  private long amountReserved;
  private long amountRefunded;
  private int pendingRefunds;
  private boolean refundWindowOpen = true;
  private boolean authorizationOutcomeUnknown;

  /** The latest refunds taken, by id (see {@link PaymentResumed#recentRefunds()}). */
  private final LinkedHashMap<String, Long> recentRefunds =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > PaymentResumed.RECENT_REFUNDS;
        }
      };

  /**
   * Past this many history events, the workflow continues as new at its next quiet moment in the
   * refund window. Each refund adds about fifteen; Temporal suggests continuing at 4 Ki events.
   */
  static final int HISTORY_LIMIT = 1_000;

  @Override
  public PaymentView run(PaymentInput input) {
    this.input = input;
    this.amountCaptured = new Money(0, input.amount().currency());
    // A continued run takes up its state first, so that it is listed with its status at once.
    long refundWindowEndsAt = input.resumed() == null ? 0 : resume(input.resumed());
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.MERCHANT_ID.valueSet(input.merchantId()),
        PayrailSearchAttributes.PAYMENT_ID.valueSet(input.paymentId()),
        PayrailSearchAttributes.AMOUNT_MINOR.valueSet(input.amount().minor()),
        PayrailSearchAttributes.CURRENCY.valueSet(input.amount().currency().getCurrencyCode()),
        PayrailSearchAttributes.PAYMENT_STATUS.valueSet(status.apiName()));

    if (input.resumed() == null) {
      if (!authorize()) {
        return view();
      }
      if (input.captureMethod() == CaptureMethod.AUTOMATIC) {
        runExclusively(() -> captureAtBank(input.amount()));
      } else {
        awaitCaptureOrCancelUntilExpiry();
      }
      refundWindowEndsAt = Workflow.currentTimeMillis() + input.refundWindow().toMillis();
    }
    if (status == PaymentStatus.SUCCEEDED) {
      // Refunds go through this workflow, so it stays open for the refund window (a durable
      // timer), then for the refunds still at the bank.
      awaitRefundWindow(refundWindowEndsAt);
      refundWindowOpen = false;
      Workflow.await(() -> pendingRefunds == 0);
    }
    return view();
  }

  /**
   * Waits for the window to close. Should the history grow long (many refunds), it continues as new
   * at the first quiet moment (no refund at the bank, no update running), carrying the state and
   * the same deadline.
   */
  private void awaitRefundWindow(long endsAt) {
    while (true) {
      long left = endsAt - Workflow.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      boolean quietAndLong =
          Workflow.await(
              Duration.ofMillis(left),
              () -> historyTooLong() && pendingRefunds == 0 && !operationInProgress);
      if (quietAndLong) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        if (pendingRefunds == 0 && !operationInProgress) {
          Workflow.continueAsNew(
              input.resumedAs(
                  new PaymentResumed(
                      sequence,
                      authorizationId,
                      amountCaptured,
                      amountRefunded,
                      endsAt,
                      new LinkedHashMap<>(recentRefunds))));
        }
      }
    }
  }

  private static boolean historyTooLong() {
    WorkflowInfo info = Workflow.getInfo();
    return info.getHistoryLength() > HISTORY_LIMIT || info.isContinueAsNewSuggested();
  }

  /** Takes up a captured payment where the previous run left it; returns the window's end. */
  private long resume(PaymentResumed state) {
    status = PaymentStatus.SUCCEEDED;
    sequence = state.sequence();
    recordedSequence = state.sequence();
    authorizationId = state.authorizationId();
    amountCaptured = state.amountCaptured();
    amountRefunded = state.amountRefunded();
    recentRefunds.putAll(state.recentRefunds());
    return state.refundWindowEndsAtMillis();
  }

  @Override
  public void validateRefund(RefundRequest request) {
    if (recentRefunds.containsKey(request.refundId())) {
      return; // taken by an earlier run: answered by refund() below
    }
    if (status != PaymentStatus.SUCCEEDED) {
      throw new InvalidTransitionException(
          "This payment cannot be refunded because its status is " + status.apiName());
    }
    if (!refundWindowOpen) {
      throw new InvalidTransitionException("This payment's refund window has closed");
    }
    long refundable = refundable();
    if (refundable == 0) {
      throw new InvalidTransitionException("This payment has been refunded in full");
    }
    if (request.amount() != null && (request.amount() <= 0 || request.amount() > refundable)) {
      throw new InvalidTransitionException(
          "amount must be between 1 and " + refundable + ", what is left to refund");
    }
  }

  /**
   * Reserves the amount (so that refunds running at the same time can never add up to more than was
   * captured), records the refund as pending, and starts its workflow; the reservation becomes
   * refunded, or free again, when that workflow ends.
   */
  @Override
  public RefundView refund(RefundRequest request) {
    Long taken = recentRefunds.get(request.refundId());
    if (taken != null) {
      // A retry of a refund this payment already took (in an earlier run: within a run, Temporal
      // answers a repeated update id itself). Its own workflow has the outcome.
      return new RefundView(
          request.refundId(),
          input.paymentId(),
          RefundStatus.PENDING,
          new Money(taken, input.amount().currency()),
          null);
    }
    long refundable = refundable();
    long minor = request.amount() == null ? refundable : request.amount();
    if (refundable == 0 || minor > refundable) {
      // Validated together with another refund that took the balance first.
      throw ApplicationFailure.newNonRetryableFailure(
          "amount must be between 1 and " + refundable + ", what is left to refund",
          INVALID_TRANSITION);
    }
    Money amount = new Money(minor, input.amount().currency());
    amountReserved += minor;
    pendingRefunds++;
    recentRefunds.put(request.refundId(), minor);
    RefundTransition created =
        new RefundTransition(
            request.refundId(),
            input.paymentId(),
            input.merchantId(),
            1,
            null,
            RefundStatus.PENDING,
            amount,
            request.reason(),
            null,
            request.metadata() == null ? java.util.Map.of() : request.metadata());
    refundRecords.recordRefund(created);
    RefundWorkflow refundWorkflow =
        Workflow.newChildWorkflowStub(
            RefundWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(RefundWorkflow.workflowId(request.refundId()))
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Promise<RefundView> done =
        Async.function(
            refundWorkflow::run,
            new RefundInput(
                request.refundId(),
                input.paymentId(),
                input.merchantId(),
                authorizationId,
                amount,
                request.reason()));
    Workflow.getWorkflowExecution(refundWorkflow).get();
    done.handle(
        (result, failure) -> {
          amountReserved -= minor;
          if (failure == null && result.status() == RefundStatus.SUCCEEDED) {
            amountRefunded += minor;
          }
          pendingRefunds--;
          return null;
        });
    return new RefundView(
        request.refundId(), input.paymentId(), RefundStatus.PENDING, amount, null);
  }

  @Override
  public PaymentView authorization() {
    // The outcome of the authorization and, for automatic capture, of the capture too; answered
    // once it is stored, so the API's next read agrees with this answer.
    Workflow.await(
        () ->
            status != PaymentStatus.PROCESSING
                && (input.captureMethod() == CaptureMethod.MANUAL
                    || status != PaymentStatus.REQUIRES_CAPTURE)
                && recordedSequence == sequence);
    return view();
  }

  @Override
  public void validateCapture(CaptureRequest request) {
    requireUncaptured("capture");
    if (request.amountToCapture() != null
        && (request.amountToCapture() <= 0 || request.amountToCapture() > input.amount().minor())) {
      throw new InvalidTransitionException(
          "amount_to_capture must be between 1 and " + input.amount().minor());
    }
  }

  @Override
  public PaymentView capture(CaptureRequest request) {
    long minor =
        request.amountToCapture() == null ? input.amount().minor() : request.amountToCapture();
    runExclusively(
        () -> {
          requireStatus(PaymentStatus.REQUIRES_CAPTURE, "captured");
          captureAtBank(new Money(minor, input.amount().currency()));
        });
    return view();
  }

  @Override
  public void validateCancel(CancelRequest request) {
    requireUncaptured("cancel");
  }

  @Override
  public PaymentView cancel(CancelRequest request) {
    runExclusively(
        () -> {
          requireStatus(PaymentStatus.REQUIRES_CAPTURE, "canceled");
          voidAndCancel(request.reason());
        });
    return view();
  }

  @Override
  public PaymentView view() {
    return new PaymentView(
        input.paymentId(),
        status,
        input.amount(),
        amountCaptured,
        authorizationId,
        declineCode,
        failureMessage,
        cancellationReason,
        new Money(amountRefunded, input.amount().currency()));
  }

  /** Risk check, then authorization; false when the payment ended there. */
  private boolean authorize() {
    FraudDecision decision;
    try {
      decision =
          fraud.assess(
              new FraudCheck(
                  input.paymentId(),
                  input.merchantId(),
                  input.amount(),
                  input.cardBin(),
                  input.customerEmail()));
    } catch (ActivityFailure unavailable) {
      // The risk check could not run: nothing reached the bank, so the payment fails cleanly.
      fail("processing_error", "The risk check is unavailable; no money was taken.");
      return false;
    }
    if (!decision.allowed()) {
      fail(decision.reason(), "The payment was blocked by a risk rule.");
      return false;
    }
    BankResult result =
        resolveUnknownOutcome(
            "authorize",
            () -> bank.authorize(requestId("authorize"), input.amount(), input.cardToken()));
    if (result == null) {
      reverseLateAuthorization();
      fail("processing_error", "The bank could not be reached; no money was taken.");
      return false;
    }
    if (!result.wasAccepted()) {
      fail(result.code(), "The card was declined.");
      return false;
    }
    authorizationId = result.authorizationId();
    transition(PaymentStatus.REQUIRES_CAPTURE);
    return true;
  }

  /**
   * Payrail gave up on an authorization whose requests may have reached the bank unseen: before the
   * payment is reported failed, the bank is asked once more, and an authorization that did arrive
   * late is voided (a reversal), so the customer is never held for a failed payment.
   */
  private void reverseLateAuthorization() {
    if (!authorizationOutcomeUnknown) {
      return;
    }
    BankInquiry late = bankCalls.inquiries().inquire(requestId("authorize"));
    if (late.processed() && late.result().wasAccepted()) {
      String lateAuthorization = late.result().authorizationId();
      Workflow.newDetachedCancellationScope(
              () ->
                  resolveUnknownOutcome(
                      "reversal",
                      () -> bank.voidAuthorization(requestId("reversal"), lateAuthorization)))
          .run();
    }
  }

  private void awaitCaptureOrCancelUntilExpiry() {
    boolean decided =
        Workflow.await(
            input.authorizationValidity(), () -> status != PaymentStatus.REQUIRES_CAPTURE);
    if (!decided) {
      // The timer fired. A capture or cancel that the merchant started just before wins.
      runExclusively(
          () -> {
            if (status == PaymentStatus.REQUIRES_CAPTURE) {
              voidAndCancel("expired");
            }
          });
    }
    Workflow.await(() -> status.isFinal() && !operationInProgress);
  }

  /** Captures at the bank; if the bank refuses for good, voids the authorization (compensation). */
  private void captureAtBank(Money amount) {
    BankResult result =
        resolveUnknownOutcome(
            "capture", () -> bank.capture(requestId("capture"), authorizationId, amount));
    if (result != null && result.wasAccepted()) {
      amountCaptured = amount;
      transition(PaymentStatus.SUCCEEDED);
      return;
    }
    String reason = result == null ? "processing_error" : result.code();
    // Compensation runs even if the workflow is being cancelled: an authorization must not dangle.
    Workflow.newDetachedCancellationScope(this::voidAtBank).run();
    fail(reason, "The capture failed; the authorization was released.");
  }

  private void voidAndCancel(String reason) {
    voidAtBank();
    cancellationReason = reason;
    transition(PaymentStatus.CANCELED);
  }

  /**
   * Voids the authorization, however long the bank takes: a hold left at the bank would hold the
   * customer's money for a payment Payrail reports canceled or failed. Retried (same request id,
   * growing pauses) until the bank gives a definite answer.
   */
  private void voidAtBank() {
    Duration pause = Duration.ofMinutes(1);
    while (true) {
      BankResult result =
          resolveUnknownOutcome(
              "void", () -> bank.voidAuthorization(requestId("void"), authorizationId));
      if (result != null) {
        if (!result.wasAccepted()) {
          Workflow.getLogger(PaymentWorkflowImpl.class)
              .warn("the bank refused to void {}: {}", authorizationId, result.code());
        }
        return;
      }
      Workflow.sleep(pause);
      pause =
          pause.multipliedBy(2).compareTo(Duration.ofHours(1)) > 0
              ? Duration.ofHours(1)
              : pause.multipliedBy(2);
    }
  }

  /** See {@link BankCalls#resolve}; an unknown authorization is remembered for the reversal. */
  private BankResult resolveUnknownOutcome(String operation, Supplier<BankResult> call) {
    return bankCalls.resolve(
        requestId(operation),
        call,
        () -> {
          if (operation.equals("authorize")) {
            authorizationOutcomeUnknown = true;
          }
        });
  }

  private void runExclusively(Runnable operation) {
    Workflow.await(() -> !operationInProgress);
    operationInProgress = true;
    try {
      operation.run();
    } finally {
      operationInProgress = false;
    }
  }

  /** For validators: also refuses while another operation on the payment is under way. */
  private void requireUncaptured(String operation) {
    if (operationInProgress) {
      throw new InvalidTransitionException("Another operation on this payment is in progress");
    }
    if (status != PaymentStatus.REQUIRES_CAPTURE) {
      throw new InvalidTransitionException(
          cannot(operation.equals("capture") ? "captured" : "canceled"));
    }
  }

  /**
   * For handlers: two updates validated at the same moment both pass their validators, so each
   * handler checks the state again once it holds the payment.
   */
  private void requireStatus(PaymentStatus required, String verb) {
    if (status != required) {
      throw ApplicationFailure.newNonRetryableFailure(cannot(verb), INVALID_TRANSITION);
    }
  }

  private String cannot(String verb) {
    return "This payment cannot be " + verb + " because its status is " + status.apiName();
  }

  private void fail(String code, String message) {
    declineCode = code;
    failureMessage = message;
    transition(PaymentStatus.FAILED);
  }

  private void transition(PaymentStatus to) {
    PaymentStatus from = status;
    status = to;
    int recording = ++sequence;
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.PAYMENT_STATUS.valueSet(to.apiName()));
    records.record(
        new PaymentTransition(
            input.paymentId(),
            input.merchantId(),
            recording,
            from,
            to,
            input.amount(),
            amountCaptured,
            authorizationId,
            declineCode,
            failureMessage,
            cancellationReason));
    recordedSequence = recording;
  }

  /** Captured, less what was refunded and what refunds under way hold. */
  private long refundable() {
    return amountCaptured.minor() - amountRefunded - amountReserved;
  }

  private String requestId(String operation) {
    return input.paymentId() + ":" + operation;
  }
}
