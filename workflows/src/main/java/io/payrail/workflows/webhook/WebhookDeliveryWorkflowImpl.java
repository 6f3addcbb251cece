package io.payrail.workflows.webhook;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class WebhookDeliveryWorkflowImpl implements WebhookDeliveryWorkflow {

  private final WebhookActivities webhooks =
      Workflow.newActivityStub(
          WebhookActivities.class,
          ActivityOptions.newBuilder()
              // 10 s for the POST, the rest for recording it
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

  private int attempts;

  @Override
  public String run(DeliveryInput input) {
    DeliverySchedule schedule = input.schedule();
    long started = Workflow.currentTimeMillis();
    while (true) {
      attempts++;
      AttemptResult result = webhooks.attempt(input.deliveryId(), attempts);
      String ended =
          switch (result.outcome()) {
            case DELIVERED -> "delivered";
            case ENDPOINT_GONE -> "canceled";
            case FAILED -> null;
          };
      if (ended != null) {
        webhooks.finish(input.deliveryId(), ended);
        return ended;
      }
      long remaining = schedule.giveUpAfter().toMillis() - (Workflow.currentTimeMillis() - started);
      if (remaining <= 0) {
        webhooks.finish(input.deliveryId(), "failed");
        return "failed";
      }
      // The last attempt falls on the deadline itself: a receiver back by then still gets it.
      Duration pause =
          jittered(schedule.pauseAfter(attempts), schedule.jitter(), input.deliveryId(), attempts);
      Workflow.sleep(Duration.ofMillis(Math.min(pause.toMillis(), remaining)));
    }
  }

  @Override
  public int attempts() {
    return attempts;
  }

  /**
   * Spreads the pause by up to {@code jitter} either way, by a hash of the delivery and the
   * attempt: different for every delivery, so that deliveries failing together spread out, and the
   * same on every replay, as workflow code must be.
   */
  static Duration jittered(Duration pause, double jitter, String deliveryId, int attempt) {
    int hash = (deliveryId + ":" + attempt).hashCode();
    double unit = Math.floorMod(hash, 10_000) / 10_000.0;
    double factor = 1 + jitter * (2 * unit - 1);
    return Duration.ofMillis(Math.round(pause.toMillis() * factor));
  }
}
