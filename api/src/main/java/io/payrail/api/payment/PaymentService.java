package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.platform.card.CardToTokenize;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.card.StoredCard;
import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.payment.CancelRequest;
import io.payrail.workflows.payment.CaptureMethod;
import io.payrail.workflows.payment.CaptureRequest;
import io.payrail.workflows.payment.InvalidTransitionException;
import io.payrail.workflows.payment.PaymentInput;
import io.payrail.workflows.payment.PaymentStatus;
import io.payrail.workflows.payment.PaymentView;
import io.payrail.workflows.payment.PaymentWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Creates payments and operates on them, always through the payment's workflow: the API never
 * changes a payment's status itself, it asks the workflow and reads what the workflow recorded.
 */
@Service
class PaymentService {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PaymentService.class);

  /** Decline codes that Stripe reports as the error code itself rather than card_declined. */
  private static final Set<String> SPECIFIC_CODES =
      Set.of("expired_card", "incorrect_cvc", "processing_error");

  private final WorkflowClient temporal;
  private final PaymentRepository payments;
  private final PaymentReads reads;
  private final CardVault vault;
  private final PaymentProperties properties;
  private final Clock clock;

  /** Waits on Temporal calls, so that a request can stop waiting on time. */
  private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

  PaymentService(
      WorkflowClient temporal,
      PaymentRepository payments,
      PaymentReads reads,
      CardVault vault,
      PaymentProperties properties,
      Clock clock) {
    this.temporal = temporal;
    this.payments = payments;
    this.reads = reads;
    this.vault = vault;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Stores the payment, starts its workflow with the {@code authorization} update and waits for the
   * bank's answer. Safe to run again with the same {@code paymentId} (an idempotent retry whose
   * first attempt died): the row is kept, and the workflow id and update id let Temporal attach the
   * retry to the first workflow instead of starting a second one.
   */
  Answer<PaymentObject> create(
      String merchantId, String paymentId, PaymentRequests.Create request) {
    Money amount = money(request.amount(), request.currency());
    // A retry of a request whose first attempt stored the payment reuses that attempt's card.
    StoredCard card =
        payments
            .cardTokenOf(merchantId, paymentId)
            .flatMap(token -> vault.find(merchantId, token))
            .orElseGet(() -> card(merchantId, request));
    CaptureMethod captureMethod =
        "manual".equals(request.captureMethod()) ? CaptureMethod.MANUAL : CaptureMethod.AUTOMATIC;
    payments.insert(merchantId, paymentId, amount, captureMethod, card.token(), request);

    PaymentInput input =
        new PaymentInput(
            paymentId,
            merchantId,
            amount,
            captureMethod,
            card.token(),
            card.bin(),
            request.customerEmail(),
            properties.authorizationValidity(),
            properties.refundWindow());
    PaymentWorkflow workflow = temporal.newWorkflowStub(PaymentWorkflow.class, startOptions(input));
    boolean finished = true;
    try {
      finished =
          within(
              () ->
                  WorkflowClient.startUpdateWithStart(
                          workflow::authorization,
                          UpdateOptions.<PaymentView>newBuilder()
                              .setUpdateId("authorization")
                              .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                              .build(),
                          new WithStartWorkflowOperation<>(workflow::run, input))
                      .getResult());
    } catch (WorkflowUpdateException e) {
      throw new IllegalStateException("the authorization update has no validator to reject it", e);
    } catch (WorkflowException e) {
      // Already started and finished by an earlier attempt: what it recorded is the answer.
      if (current(merchantId, paymentId).status().equals(PaymentStatus.PROCESSING.apiName())) {
        throw e;
      }
    }
    return new Answer<>(failedAsError(current(merchantId, paymentId)), finished);
  }

  Answer<PaymentObject> capture(
      String merchantId, String paymentId, PaymentRequests.Capture request) {
    current(merchantId, paymentId);
    boolean finished =
        update(
            paymentId,
            "capture",
            new CaptureRequest(request.amountToCapture()),
            "amount_to_capture");
    return new Answer<>(failedAsError(current(merchantId, paymentId)), finished);
  }

  Answer<PaymentObject> cancel(
      String merchantId, String paymentId, PaymentRequests.Cancel request) {
    current(merchantId, paymentId);
    boolean finished =
        update(paymentId, "cancel", new CancelRequest(request.cancellationReason()), null);
    return new Answer<>(current(merchantId, paymentId), finished);
  }

  PaymentObject current(String merchantId, String paymentId) {
    return reads
        .find(merchantId, paymentId)
        .orElseThrow(() -> ApiException.notFound("payment", paymentId));
  }

  /**
   * Runs a capture or cancel update. Its update id is its name: a payment is captured or canceled
   * once, so a retried request attaches to the first one's update instead of being refused.
   */
  private boolean update(String paymentId, String name, Object argument, String amountParam) {
    WorkflowStub stub = temporal.newUntypedWorkflowStub(PaymentWorkflow.workflowId(paymentId));
    try {
      return within(
          () ->
              stub.startUpdate(
                      UpdateOptions.newBuilder(PaymentView.class)
                          .setUpdateName(name)
                          .setUpdateId(name)
                          .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                          .build(),
                      argument)
                  .getResult());
    } catch (WorkflowUpdateException e) {
      throw unexpectedState(e, amountParam);
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      // The workflow has ended: the payment is final and takes no more operations.
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          "payment_unexpected_state",
          "This payment cannot be " + (name.equals("capture") ? "captured" : "canceled"),
          null);
    }
  }

  /**
   * Runs a call to the workflow for at most the configured wait. Past it, the caller gets the
   * payment as it stands (still {@code processing} while no worker has picked the workflow up) and
   * learns the outcome from GET or the event; the workflow itself goes on.
   */
  /** True when the call finished within the wait; false when it goes on without the caller. */
  <T> boolean within(Callable<T> call) {
    // The correlation id travels to Temporal from the MDC, so the waiting thread gets a copy.
    Map<String, String> context = MDC.getCopyOfContextMap();
    Future<T> answer =
        waiters.submit(
            () -> {
              if (context != null) {
                MDC.setContextMap(context);
              }
              return call.call();
            });
    try {
      answer.get(properties.authorizationWait().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      answer.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the payment workflow", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("payment workflow call failed", e.getCause());
    }
  }

  static ApiException unexpectedState(WorkflowUpdateException e, String amountParam) {
    if (e.getCause() instanceof ApplicationFailure failure
        && InvalidTransitionException.class.getName().equals(failure.getType())) {
      String message = failure.getOriginalMessage();
      String param = message.startsWith("amount_to_capture") ? amountParam : null;
      return new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          param == null ? "payment_unexpected_state" : "amount_too_large",
          message,
          param);
    }
    log.warn(
        "update {} of {} failed with {}",
        e.GetUpdateName(),
        e.getExecution().getWorkflowId(),
        e.getCause() == null ? null : e.getCause().getClass().getName(),
        e);
    throw e;
  }

  /** A payment that ended {@code failed} answers 402 with the payment in the error. */
  private static PaymentObject failedAsError(PaymentObject payment) {
    if (!payment.status().equals(PaymentStatus.FAILED.apiName())) {
      return payment;
    }
    String declineCode = payment.declineCode();
    String code = SPECIFIC_CODES.contains(declineCode) ? declineCode : "card_declined";
    throw ApiException.paymentFailed(code, declineCode, payment.failureMessage(), payment);
  }

  private StoredCard card(String merchantId, PaymentRequests.Create request) {
    if ((request.card() == null) == (request.cardToken() == null)) {
      throw ApiException.invalid(
          "card", "parameter_missing", "Send either card or card_token, exactly one of them.");
    }
    if (request.cardToken() != null) {
      return vault
          .find(merchantId, request.cardToken())
          .orElseThrow(
              () ->
                  ApiException.invalid(
                      "card_token",
                      "resource_missing",
                      "No such card token: " + request.cardToken()));
    }
    PaymentRequests.Card given = request.card();
    var valid =
        io.payrail.api.card.CardValidator.validate(
            given.number(),
            given.expMonth(),
            given.expYear(),
            given.cvc(),
            YearMonth.now(clock.withZone(ZoneOffset.UTC)));
    return vault.tokenize(
        merchantId,
        new CardToTokenize(
            valid.number(),
            valid.brand().apiName(),
            valid.expiry().getMonthValue(),
            valid.expiry().getYear(),
            valid.cvc(),
            given.holderName()));
  }

  private static Money money(long amount, String code) {
    Currency currency;
    try {
      currency = Currency.getInstance(code.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "currency", "currency_invalid", "Unknown ISO 4217 currency: " + code);
    }
    if (currency.getDefaultFractionDigits() < 0) {
      throw ApiException.invalid(
          "currency",
          "currency_invalid",
          currency.getCurrencyCode() + " is not a currency of cards");
    }
    return new Money(amount, currency);
  }

  private static WorkflowOptions startOptions(PaymentInput input) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(PaymentWorkflow.workflowId(input.paymentId()))
        .setTaskQueue(TaskQueues.PAYMENTS)
        .setWorkflowIdConflictPolicy(
            WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(
            SearchAttributes.newBuilder()
                .set(PayrailSearchAttributes.MERCHANT_ID, input.merchantId())
                .set(PayrailSearchAttributes.PAYMENT_ID, input.paymentId())
                .set(PayrailSearchAttributes.PAYMENT_STATUS, PaymentStatus.PROCESSING.apiName())
                .set(PayrailSearchAttributes.AMOUNT_MINOR, input.amount().minor())
                .set(PayrailSearchAttributes.CURRENCY, input.amount().currency().getCurrencyCode())
                .build())
        .build();
  }
}
