package io.payrail.workflows.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an open payment costs: an idle workflow (waiting for capture, or through the refund window)
 * holds no worker thread and no cache slot, and its history stays short.
 */
@Timeout(120)
class PaymentWorkflowFootprintTest {

  private static final String QUEUE = "payments-footprint";

  /** Far fewer cached workflows and workflow threads than open payments. */
  private static final int CACHE = 2;

  private static final int THREADS = 4;
  private static final int PAYMENTS = 30;

  private TestWorkflowEnvironment env;
  private final FakeBank bank = new FakeBank();

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkflowCacheSize(CACHE)
                        .setMaxWorkflowThreadCount(THREADS)
                        .build())
                .build());
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        bank,
        (FraudActivities) check -> FraudDecision.allow(),
        (PaymentRecordActivities) transition -> {},
        (io.payrail.workflows.refund.RefundRecordActivities) transition -> {});
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void manyOpenPayments_holdNoWorkerThreads_andEachStillTakesItsCapture() {
    List<PaymentWorkflow> open = new ArrayList<>();
    for (int i = 0; i < PAYMENTS; i++) {
      PaymentWorkflow payment = start("pay_open" + i, CaptureMethod.MANUAL);
      assertThat(payment.authorization().status()).isEqualTo(PaymentStatus.REQUIRES_CAPTURE);
      open.add(payment);
    }

    // Thirty payments wait on timers with two cache slots and four workflow threads: each one is
    // evicted and replayed from its history when its capture comes.
    for (PaymentWorkflow payment : open) {
      assertThat(payment.capture(new CaptureRequest(null)).status())
          .isEqualTo(PaymentStatus.SUCCEEDED);
    }
    assertThat(bank.captures).hasValue(PAYMENTS);
  }

  @Test
  void historyOfAPaymentThroughItsRefundWindow_staysShort() {
    PaymentWorkflow payment = start("pay_history", CaptureMethod.AUTOMATIC);

    WorkflowStub.fromTyped(payment).getResult(PaymentView.class);

    int events =
        env.getWorkflowClient()
            .fetchHistory(PaymentWorkflow.workflowId("pay_history"))
            .getHistory()
            .getEventsCount();
    // Start, fraud, authorize, record, capture, record, the refund-window timer, completion:
    // a fixed few dozen events, far below the history limit at which the workflow continues as new.
    assertThat(events).isLessThan(60);
  }

  private PaymentWorkflow start(String paymentId, CaptureMethod method) {
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
            Money.of(1500, "EUR"),
            method,
            "card_tok",
            "424242",
            null,
            Duration.ofDays(7),
            Duration.ofDays(180)));
    return payment;
  }
}
