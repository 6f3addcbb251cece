package io.payrail.workflows.notification;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * One attempt after another until the provider takes the message, the provider refuses it, or the
 * deadline passes. The retries are the activity's own (server-side timers), so a notification
 * waiting for a provider to come back holds no worker thread.
 */
public class NotificationWorkflowImpl implements NotificationWorkflow {

  private static final RetryOptions PROVIDER_RETRIES =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(10))
          .setBackoffCoefficient(2)
          .setMaximumInterval(Duration.ofHours(1))
          .setDoNotRetry(NotificationActivities.REJECTED)
          .build();

  private final NotificationActivities records =
      Workflow.newActivityStub(
          NotificationActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
              .build());

  @Override
  public String run(NotificationInput input) {
    NotificationActivities provider =
        Workflow.newActivityStub(
            NotificationActivities.class,
            ActivityOptions.newBuilder()
                // the providers' own timeouts are 10 s; the rest is for rendering and recording
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(input.giveUpAfter())
                .setRetryOptions(PROVIDER_RETRIES)
                .build());
    try {
      provider.send(input.notificationId());
      return "sent";
    } catch (ActivityFailure failure) {
      records.fail(input.notificationId(), reason(failure));
      return "failed";
    }
  }

  /**
   * A refusal's own message; at the deadline (whether the last attempt timed out or the next retry
   * would have come too late) "gave up: " and the last error.
   */
  private static String reason(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String last =
        cause instanceof ApplicationFailure application
            ? application.getOriginalMessage()
            : cause instanceof TimeoutFailure ? "timed out" : String.valueOf(cause);
    return failure.getRetryState() == RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
        ? last
        : "gave up: " + last;
  }
}
