package io.payrail.workflows.webhook;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers one event to one endpoint: attempts on the {@link DeliverySchedule} until one succeeds,
 * the endpoint is gone, or the schedule gives up. Workflow id {@code webhook-<deliveryId>}; its own
 * task queue, so that slow endpoints never hold the payment workers.
 */
@WorkflowInterface
public interface WebhookDeliveryWorkflow {

  static String workflowId(String deliveryId) {
    return "webhook-" + deliveryId;
  }

  /** Returns {@code delivered}, {@code failed} or {@code canceled}. */
  @WorkflowMethod
  String run(DeliveryInput input);

  /** How many attempts so far. */
  @QueryMethod
  int attempts();
}
