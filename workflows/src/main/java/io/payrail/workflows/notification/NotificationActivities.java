package io.payrail.workflows.notification;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface NotificationActivities {

  /**
   * The failure type of a provider's definite refusal (a malformed address, an unknown number, an
   * unregistered device): not retried.
   */
  String REJECTED = "NotificationRejected";

  /**
   * Renders the notification's template and hands it to its channel's provider, then records it
   * {@code sent} with the provider's message id. A notification already sent is not sent again.
   * Each failed attempt is counted and its error kept on the row before the failure is thrown:
   * transient failures (provider down, timeout) are retried; a refusal fails with type {@link
   * #REJECTED}.
   */
  void send(String notificationId);

  /** Records that the notification will not be sent, and why. */
  void fail(String notificationId, String reason);
}
