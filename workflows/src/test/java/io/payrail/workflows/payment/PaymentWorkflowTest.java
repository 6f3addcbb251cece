package io.payrail.workflows.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.refund.RefundRecordActivities;
import io.payrail.workflows.refund.RefundRequest;
import io.payrail.workflows.refund.RefundStatus;
import io.payrail.workflows.refund.RefundTransition;
import io.payrail.workflows.refund.RefundView;
import io.payrail.workflows.refund.RefundWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The payment workflow in the time-skipping test environment, with fakes behind its activities. A
 * workflow task that fails is retried forever by Temporal, so each test is bounded.
 */
@Timeout(60)
class PaymentWorkflowTest {

  private static final String QUEUE = "payments-test";
  private static final Money AMOUNT = Money.of(2500, "USD");

  private TestWorkflowEnvironment env;
  private final FakeBank bank = new FakeBank();
  private final List<PaymentTransition> recorded = new CopyOnWriteArrayList<>();
  private final List<RefundTransition> refundsRecorded = new CopyOnWriteArrayList<>();
  private volatile FraudDecision fraudDecision = FraudDecision.allow();
  private volatile boolean fraudUnavailable;
  private int payments;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class, RefundWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        bank,
        (FraudActivities)
            check -> {
              if (fraudUnavailable) {
                throw new IllegalStateException("rules store unreachable");
              }
              return fraudDecision;
            },
        (PaymentRecordActivities) recorded::add,
        (RefundRecordActivities) refundsRecorded::add);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void automaticCapture_authorizesCapturesAndRecordsEachTransition() {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);

    PaymentView done = result(payment);

    assertThat(done.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(done.amountCaptured()).isEqualTo(AMOUNT);
    assertThat(bank.authorizations).hasValue(1);
    assertThat(bank.captures).hasValue(1);
    assertThat(recorded)
        .extracting(PaymentTransition::to)
        .containsExactly(PaymentStatus.REQUIRES_CAPTURE, PaymentStatus.SUCCEEDED);
    assertThat(recorded).extracting(PaymentTransition::sequence).containsExactly(1, 2);
  }

  @Test
  void authorizationUpdate_answersWithTheOutcome() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);

    assertThat(payment.authorization().status()).isEqualTo(PaymentStatus.REQUIRES_CAPTURE);
  }

  @Test
  void decline_failsWithTheDeclineCode_andNeverCaptures() {
    bank.declineCode = "insufficient_funds";

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(done.declineCode()).isEqualTo("insufficient_funds");
    assertThat(bank.captures).hasValue(0);
  }

  @Test
  void fraudBlock_failsBeforeTheBank() {
    fraudDecision = FraudDecision.block("blocked_bin");

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(done.declineCode()).isEqualTo("blocked_bin");
    assertThat(bank.processed).isEmpty();
  }

  @Test
  void manualPartialCapture_capturesThatAmount() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);
    payment.authorization();

    PaymentView captured = payment.capture(new CaptureRequest(1000L));

    assertThat(captured.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(captured.amountCaptured()).isEqualTo(Money.of(1000, "USD"));
    assertThat(result(payment).status()).isEqualTo(PaymentStatus.SUCCEEDED);
  }

  @Test
  void captureAboveTheAuthorization_isRejectedByTheValidator_andChangesNothing() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);
    payment.authorization();

    assertThatThrownBy(() -> payment.capture(new CaptureRequest(2501L)))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(PaymentWorkflowImpl.INVALID_TRANSITION);
              assertThat(failure.getOriginalMessage()).startsWith("amount_to_capture");
            });

    assertThat(payment.view().status()).isEqualTo(PaymentStatus.REQUIRES_CAPTURE);
    assertThat(bank.captures).hasValue(0);
  }

  @Test
  void secondCapture_isRejected_whileThePaymentStaysOpenForRefunds() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);
    payment.authorization();
    payment.capture(new CaptureRequest(null));

    assertThatThrownBy(() -> payment.capture(new CaptureRequest(null)))
        .isInstanceOf(WorkflowUpdateException.class);
    assertThat(bank.captures).hasValue(1);
    assertThat(payment.view().status()).isEqualTo(PaymentStatus.SUCCEEDED);
  }

  @Test
  void uncapturedAuthorization_expiresAfterSevenDays_andIsVoided() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);

    PaymentView done = result(payment);

    assertThat(done.status()).isEqualTo(PaymentStatus.CANCELED);
    assertThat(done.cancellationReason()).isEqualTo("expired");
    assertThat(bank.voids).hasValue(1);
    assertThat(bank.captures).hasValue(0);
  }

  @Test
  void cancel_voidsTheAuthorization_andThenCaptureIsRejected() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);
    payment.authorization();

    PaymentView canceled = payment.cancel(new CancelRequest("requested_by_customer"));

    assertThat(canceled.status()).isEqualTo(PaymentStatus.CANCELED);
    assertThat(canceled.cancellationReason()).isEqualTo("requested_by_customer");
    assertThat(bank.voids).hasValue(1);
    assertThat(result(payment).status()).isEqualTo(PaymentStatus.CANCELED);
    // A canceled payment's workflow is closed: it accepts no further operation.
    assertThatThrownBy(() -> payment.capture(new CaptureRequest(null)))
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void captureRefusedForGood_voidsTheAuthorization_andFails() {
    bank.refuseCaptureWith = "amount_too_large";

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(done.declineCode()).isEqualTo("amount_too_large");
    assertThat(bank.voids).hasValue(1);
  }

  @Test
  void lostAuthorizationAnswer_isResolvedByInquiry_withoutASecondAuthorization() {
    bank.loseAnswerOnce = "authorize";

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(bank.authorizations).hasValue(1);
    assertThat(bank.captures).hasValue(1);
  }

  @Test
  void authorizationThatNeverReachedTheBank_isSentAgainWithTheSameRequestId() {
    bank.dropRequestOnce = "authorize";

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(bank.authorizations).hasValue(1);
  }

  @Test
  void authorizationGivenUp_thatArrivedLate_isReversedBeforeThePaymentFails() {
    bank.authorizationArrivesLate = true;

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(done.declineCode()).isEqualTo("processing_error");
    assertThat(bank.authorizations).hasValue(1);
    assertThat(bank.voids).as("the late authorization is voided").hasValue(1);
    assertThat(bank.captures).hasValue(0);
  }

  @Test
  void authorizationUpdate_answersOnlyOnceTheOutcomeIsRecorded() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);

    PaymentView answer = payment.authorization();

    assertThat(answer.status()).isEqualTo(PaymentStatus.REQUIRES_CAPTURE);
    assertThat(recorded).extracting(PaymentTransition::to).contains(PaymentStatus.REQUIRES_CAPTURE);
  }

  @Test
  void cancelWhileTheBankIsDownForHours_keepsVoidingUntilTheHoldIsReleased() {
    PaymentWorkflow payment = startPayment(CaptureMethod.MANUAL);
    payment.authorization();
    // Every void attempt fails for a long while: 8 attempts per try, several tries.
    bank.voidsUnreachable.set(40);

    var cancel =
        WorkflowStub.fromTyped(payment)
            .startUpdate(
                io.temporal.client.UpdateOptions.newBuilder(PaymentView.class)
                    .setUpdateName("cancel")
                    .setWaitForStage(io.temporal.client.WorkflowUpdateStage.ACCEPTED)
                    .build(),
                new CancelRequest("requested_by_customer"));
    // An update call does not let the test server skip time; sleeping does.
    env.sleep(Duration.ofHours(12));

    assertThat(cancel.getResult().status()).isEqualTo(PaymentStatus.CANCELED);
    assertThat(bank.voids).hasValue(1);
    assertThat(payment.view().status()).isEqualTo(PaymentStatus.CANCELED);
  }

  @Test
  void riskCheckUnavailable_failsThePaymentBeforeTheBank() {
    fraudUnavailable = true;

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.FAILED);
    assertThat(done.declineCode()).isEqualTo("processing_error");
    assertThat(bank.authorizations).hasValue(0);
  }

  @Test
  void lostCaptureAnswer_isResolvedByInquiry_neverCapturingTwice() {
    bank.loseAnswerOnce = "capture";

    PaymentView done = result(startPayment(CaptureMethod.AUTOMATIC));

    assertThat(done.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(bank.captures).hasValue(1);
  }

  @Test
  void partialRefunds_untilTheCaptureIsUsedUp_thenAnyMoreIsRejected() {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);
    payment.authorization();

    payment.refund(new RefundRequest("re_1", 1000L, "requested_by_customer"));
    payment.refund(new RefundRequest("re_2", null, null));
    awaitRefunds(2);

    assertThat(bank.refunded).hasValue(2500);
    // The payment learns of each refund's end when its child workflow completes.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (payment.view().amountRefunded().minor() < 2500 && System.nanoTime() < deadline) {
      env.sleep(Duration.ofSeconds(1));
    }
    assertThat(payment.view().amountRefunded().minor()).isEqualTo(2500);
    assertThatThrownBy(() -> payment.refund(new RefundRequest("re_3", 1L, null)))
        .isInstanceOf(WorkflowUpdateException.class);
    assertThat(refundsRecorded)
        .filteredOn(t -> t.to() == RefundStatus.SUCCEEDED)
        .extracting(t -> t.amount().minor())
        .containsExactlyInAnyOrder(1000L, 1500L);
  }

  @Test
  void concurrentRefunds_neverAddUpToMoreThanTheCapture() throws Exception {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);
    payment.authorization();
    WorkflowStub stub = WorkflowStub.fromTyped(payment);

    List<java.util.concurrent.CompletableFuture<RefundView>> attempts = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      attempts.add(
          stub.startUpdate(
                  io.temporal.client.UpdateOptions.newBuilder(RefundView.class)
                      .setUpdateName("refund")
                      .setWaitForStage(io.temporal.client.WorkflowUpdateStage.COMPLETED)
                      .build(),
                  new RefundRequest("re_c" + i, 300L, null))
              .getResultAsync()
              .exceptionally(failure -> null));
    }
    long accepted =
        attempts.stream()
            .map(java.util.concurrent.CompletableFuture::join)
            .filter(r -> r != null)
            .count();
    awaitRefunds((int) accepted);

    // 2500 captured: eight refunds of 300 fit, the other four are refused.
    assertThat(accepted).isEqualTo(8);
    assertThat(bank.refunded).hasValue(2400);
  }

  @Test
  void manyRefunds_continueAsNew_keepingTheBalanceTheDeadlineAndWhatWasTaken() {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);
    payment.authorization();
    String firstRun = WorkflowStub.fromTyped(payment).getExecution().getRunId();

    // About fifteen events each: 90 refunds pass the history limit once. In batches of ten, as
    // they come in life: the workflow continues at the first quiet moment past the limit.
    for (int i = 1; i <= 90; i++) {
      payment.refund(new RefundRequest("re_m" + i, 10L, null));
      if (i % 10 == 0) {
        awaitRefunds(i);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!continuedAsNew(firstRun) && System.nanoTime() < deadline) {
      env.sleep(Duration.ofSeconds(1));
    }

    var history =
        env.getWorkflowClient()
            .fetchHistory(PaymentWorkflow.workflowId("pay_test1"), firstRun)
            .getHistory();
    assertThat(continuedAsNew(firstRun)).isTrue();
    assertThat(history.getEventsCount())
        .isBetween(PaymentWorkflowImpl.HISTORY_LIMIT, PaymentWorkflowImpl.HISTORY_LIMIT + 300);
    assertThat(payment.view().amountRefunded().minor()).isEqualTo(900);
    // Operators still find it as succeeded, not as the processing a new run begins with.
    assertThat(
            WorkflowStub.fromTyped(payment)
                .describe()
                .getTypedSearchAttributes()
                .get(io.payrail.workflows.common.PayrailSearchAttributes.PAYMENT_STATUS))
        .isEqualTo("succeeded");

    // A client retrying a refund the first run took is answered, and nothing is refunded again.
    RefundView retried = payment.refund(new RefundRequest("re_m1", 10L, null));
    assertThat(retried.amount().minor()).isEqualTo(10);
    // The balance carried over: 1600 is left, no more.
    assertThatThrownBy(() -> payment.refund(new RefundRequest("re_big", 1601L, null)))
        .isInstanceOf(WorkflowUpdateException.class);
    payment.refund(new RefundRequest("re_after", 1600L, null));
    awaitRefunds(91);
    assertThat(bank.refunded).hasValue(2500);

    // The new run closes at the first run's deadline, not 180 days after it began. Read from the
    // histories: the test server's clock may skip on once the workflow has closed.
    assertThat(result(payment).amountRefunded().minor()).isEqualTo(2500);
    var lastRun =
        env.getWorkflowClient().fetchHistory(PaymentWorkflow.workflowId("pay_test1")).getHistory();
    assertThat(
            lastRun
                .getEvents(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getFirstExecutionRunId())
        .isEqualTo(firstRun);
    assertThat(millis(lastRun.getEventsList().getLast()) - millis(history.getEvents(0)))
        .isBetween(Duration.ofDays(180).toMillis(), Duration.ofDays(181).toMillis());
  }

  private static long millis(io.temporal.api.history.v1.HistoryEvent event) {
    return com.google.protobuf.util.Timestamps.toMillis(event.getEventTime());
  }

  private boolean continuedAsNew(String runId) {
    var events =
        env.getWorkflowClient()
            .fetchHistory(PaymentWorkflow.workflowId("pay_test1"), runId)
            .getHistory()
            .getEventsList();
    return events.getLast().getEventType()
        == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;
  }

  @Test
  void refundTheBankRefuses_failsAndFreesItsAmount() {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);
    payment.authorization();
    bank.refuseRefundWith = "amount_too_large";

    payment.refund(new RefundRequest("re_refused", 2500L, null));
    awaitRefunds(1);
    // The payment frees the amount when it hears of the child's end.
    env.sleep(Duration.ofSeconds(10));
    bank.refuseRefundWith = null;
    payment.refund(new RefundRequest("re_again", 2500L, null));
    awaitRefunds(2);

    assertThat(refundsRecorded)
        .filteredOn(t -> t.refundId().equals("re_refused") && t.sequence() == 2)
        .singleElement()
        .satisfies(t -> assertThat(t.failureCode()).isEqualTo("amount_too_large"));
    assertThat(bank.refunded).hasValue(2500);
  }

  @Test
  void refundAfterTheWindow_isRejected() {
    PaymentWorkflow payment = startPayment(CaptureMethod.AUTOMATIC);
    payment.authorization();

    env.sleep(Duration.ofDays(181));

    assertThatThrownBy(() -> payment.refund(new RefundRequest("re_late", 100L, null)))
        .isInstanceOf(RuntimeException.class);
    assertThat(bank.refunded).hasValue(0);
  }

  private void awaitRefunds(int finished) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (refundsRecorded.stream().filter(t -> t.sequence() == 2).count() < finished) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("refunds did not finish: " + refundsRecorded);
      }
      env.sleep(Duration.ofSeconds(1));
    }
  }

  private PaymentWorkflow startPayment(CaptureMethod method) {
    String paymentId = "pay_test" + (++payments);
    PaymentWorkflow payment =
        env.getWorkflowClient()
            .newWorkflowStub(
                PaymentWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(PaymentWorkflow.workflowId(paymentId))
                    .setTaskQueue(QUEUE)
                    .build());
    WorkflowClient.start(
        payment::run,
        new PaymentInput(
            paymentId,
            "mer_test",
            AMOUNT,
            method,
            "card_tok",
            "424242",
            "a@example.com",
            Duration.ofDays(7),
            Duration.ofDays(180)));
    return payment;
  }

  private static PaymentView result(PaymentWorkflow payment) {
    return WorkflowStub.fromTyped(payment).getResult(PaymentView.class);
  }
}
