package io.payrail.activities.notification;

/**
 * A provider's definite refusal (an address it cannot deliver to): sending again would be refused
 * again.
 */
public class NotificationRejectedException extends RuntimeException {

  public NotificationRejectedException(String message) {
    super(message);
  }
}
