package io.payrail.workflows.webhook;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface WebhookActivities {

  /**
   * POSTs the event to the endpoint, signed with the endpoint's secret (Stripe's scheme), with a
   * 10-second timeout, and records the attempt (time, status, latency, a bounded snippet of the
   * response) under {@code (deliveryId, attempt)}. An HTTP failure is a result, not an exception;
   * only Payrail's own failures (database) throw, and are retried. Webhooks are delivered at least
   * once: receivers deduplicate on the event id.
   */
  AttemptResult attempt(String deliveryId, int attempt);

  /** Records how the delivery ended: {@code delivered}, {@code failed} or {@code canceled}. */
  void finish(String deliveryId, String status);
}
