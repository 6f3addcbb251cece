package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.platform.refund.RefundObject;
import io.payrail.platform.refund.RefundReads;
import io.payrail.workflows.payment.InvalidTransitionException;
import io.payrail.workflows.payment.PaymentWorkflow;
import io.payrail.workflows.refund.RefundRequest;
import io.payrail.workflows.refund.RefundView;
import io.payrail.workflows.refund.RefundWorkflow;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Refunds go through the payment's workflow, whose {@code refund} update reserves the amount: two
 * refunds at the same moment are serialized there, so together they never exceed the capture.
 */
@Service
class RefundService {

  private final WorkflowClient temporal;
  private final PaymentService payments;
  private final RefundReads reads;

  RefundService(WorkflowClient temporal, PaymentService payments, RefundReads reads) {
    this.temporal = temporal;
    this.payments = payments;
    this.reads = reads;
  }

  /**
   * Asks the payment's workflow for the refund (update id {@code refund-<refundId>}, so a retry of
   * the same request attaches to the first) and waits a while for the bank's answer.
   */
  Answer<RefundObject> create(String merchantId, String refundId, PaymentRequests.Refund request) {
    try {
      payments.current(merchantId, request.payment());
    } catch (ApiException unknown) {
      throw ApiException.invalid("payment", "resource_missing", unknown.getMessage());
    }
    RefundRequest refund =
        new RefundRequest(
            refundId,
            request.amount(),
            request.reason(),
            request.metadata() == null ? Map.of() : request.metadata());
    boolean recorded;
    try {
      recorded =
          payments.within(
              () ->
                  temporal
                      .newUntypedWorkflowStub(PaymentWorkflow.workflowId(request.payment()))
                      .startUpdate(
                          UpdateOptions.newBuilder(RefundView.class)
                              .setUpdateName("refund")
                              .setUpdateId("refund-" + refundId)
                              .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                              .build(),
                          refund)
                      .getResult());
    } catch (WorkflowUpdateException e) {
      throw refused(e);
    } catch (WorkflowNotFoundException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          "payment_unexpected_state",
          "This payment can no longer be refunded",
          "payment");
    }
    if (!recorded) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          ErrorTypes.API,
          "operation_in_progress",
          "The refund is still being created; retry with the same Idempotency-Key for its outcome",
          null);
    }
    boolean finished =
        payments.within(
            () ->
                temporal
                    .newUntypedWorkflowStub(RefundWorkflow.workflowId(refundId))
                    .getResult(RefundView.class));
    return new Answer<>(current(merchantId, refundId), finished);
  }

  RefundObject current(String merchantId, String refundId) {
    return reads
        .find(merchantId, refundId)
        .orElseThrow(() -> ApiException.notFound("refund", refundId));
  }

  private static ApiException refused(WorkflowUpdateException e) {
    if (e.getCause() instanceof ApplicationFailure failure
        && InvalidTransitionException.class.getName().equals(failure.getType())) {
      String message = failure.getOriginalMessage();
      boolean amount = message.startsWith("amount");
      boolean full = message.contains("refunded in full");
      return new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.INVALID_REQUEST,
          amount
              ? "amount_too_large"
              : full ? "charge_already_refunded" : "payment_unexpected_state",
          message,
          amount ? "amount" : "payment");
    }
    throw e;
  }
}
