package io.payrail.workflows.refund;

import io.payrail.workflows.payment.BankCalls;
import io.payrail.workflows.payment.BankResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Sends one refund to the bank (request id {@code <refundId>:refund}, retried while the bank is
 * unreachable, an unknown outcome resolved by inquiry), then records it {@code succeeded} or {@code
 * failed}. Its parent, the payment's workflow, created it {@code pending} with the amount reserved.
 */
public class RefundWorkflowImpl implements RefundWorkflow {

  private final BankCalls bankCalls = new BankCalls();

  private final RefundRecordActivities records =
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

  private RefundInput input;
  private RefundStatus status = RefundStatus.PENDING;
  private String failureCode;

  @Override
  public RefundView run(RefundInput input) {
    this.input = input;
    String requestId = input.refundId() + ":refund";
    BankResult result =
        bankCalls.resolve(
            requestId,
            () -> bankCalls.bank().refund(requestId, input.authorizationId(), input.amount()),
            () -> {});
    if (result != null && result.wasAccepted()) {
      status = RefundStatus.SUCCEEDED;
    } else {
      status = RefundStatus.FAILED;
      failureCode = result == null ? "processing_error" : result.code();
    }
    records.recordRefund(
        new RefundTransition(
            input.refundId(),
            input.paymentId(),
            input.merchantId(),
            2,
            RefundStatus.PENDING,
            status,
            input.amount(),
            input.reason(),
            failureCode,
            null));
    return view();
  }

  @Override
  public RefundView view() {
    return new RefundView(input.refundId(), input.paymentId(), status, input.amount(), failureCode);
  }
}
