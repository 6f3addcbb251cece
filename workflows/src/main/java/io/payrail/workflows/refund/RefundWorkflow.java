package io.payrail.workflows.refund;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One refund at the bank. Workflow id {@code refund-<refundId>}; started by the payment's workflow
 * as a child, once it has reserved the amount, so that concurrent refunds can never exceed what was
 * captured. Its result tells the payment whether the reserved amount was refunded or is free again.
 */
@WorkflowInterface
public interface RefundWorkflow {

  static String workflowId(String refundId) {
    return "refund-" + refundId;
  }

  @WorkflowMethod
  RefundView run(RefundInput input);

  @QueryMethod
  RefundView view();
}
