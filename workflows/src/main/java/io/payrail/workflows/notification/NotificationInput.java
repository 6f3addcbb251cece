package io.payrail.workflows.notification;

import java.time.Duration;

/**
 * @param notificationId the row that says what to send to whom
 * @param giveUpAfter how long a provider that keeps failing is retried before the notification ends
 *     {@code failed}
 */
public record NotificationInput(String notificationId, Duration giveUpAfter) {}
