package io.payrail.workflows.notification;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends one notification (an email, a text message or a push) and records how it ended. Its id is
 * {@code notification-<notification id>}, so the same notification is never started twice.
 */
@WorkflowInterface
public interface NotificationWorkflow {

  /** Returns {@code sent} or {@code failed}. */
  @WorkflowMethod
  String run(NotificationInput input);

  static String workflowId(String notificationId) {
    return "notification-" + notificationId;
  }
}
