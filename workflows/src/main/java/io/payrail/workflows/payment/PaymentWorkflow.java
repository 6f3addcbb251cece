package io.payrail.workflows.payment;

import io.payrail.workflows.refund.RefundRequest;
import io.payrail.workflows.refund.RefundView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One card payment, from risk check to its final state. Workflow id: {@code payment-<paymentId>}.
 * Every operation on the payment is an update of this workflow, so two operations on one payment
 * are serialized and an invalid one is rejected by its validator before it is accepted.
 */
@WorkflowInterface
public interface PaymentWorkflow {

  static String workflowId(String paymentId) {
    return "payment-" + paymentId;
  }

  @WorkflowMethod
  PaymentView run(PaymentInput input);

  /**
   * Waits for the authorization's outcome, and with automatic capture for the capture's: what
   * {@code POST /v1/payments} answers with.
   */
  @UpdateMethod
  PaymentView authorization();

  @UpdateMethod
  PaymentView capture(CaptureRequest request);

  /**
   * Rejects a capture unless the payment requires capture and the amount is within the
   * authorization.
   */
  @UpdateValidatorMethod(updateName = "capture")
  void validateCapture(CaptureRequest request);

  @UpdateMethod
  PaymentView cancel(CancelRequest request);

  /** Rejects a cancellation unless the payment is still uncaptured. */
  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel(CancelRequest request);

  /**
   * Starts a refund of part or all of what is left to refund, and answers once it is recorded as
   * {@code pending}; the refund's own workflow takes it to the bank.
   */
  @UpdateMethod
  RefundView refund(RefundRequest request);

  /**
   * Rejects a refund unless the payment succeeded, its refund window is open and the amount is at
   * most what is left (captured, less refunded, less what pending refunds hold).
   */
  @UpdateValidatorMethod(updateName = "refund")
  void validateRefund(RefundRequest request);

  @QueryMethod
  PaymentView view();
}
