package io.payrail.activities.notification;

/** Hands a rendered notification to the provider of one channel. */
interface ChannelSender {

  /**
   * Sends, and returns the provider's id for the message. Throws {@link
   * NotificationRejectedException} when the provider refuses it for good; any other exception is
   * transient.
   *
   * @param notificationId also the idempotency key (HTTP providers) or the Message-ID (email), so
   *     that a retry after a lost answer is recognised as the same message
   * @param replyTo where replies go (the merchant, for receipts), or null
   */
  String send(String notificationId, Recipient to, Rendered message, String replyTo);
}
