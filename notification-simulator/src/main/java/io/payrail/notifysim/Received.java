package io.payrail.notifysim;

import java.time.Instant;
import java.util.List;

/** What the simulated providers received, as tests and the local inbox see it. */
public final class Received {

  private Received() {}

  /** A text message accepted by the SMS provider. */
  public record Sms(String id, String to, String body, String idempotencyKey, Instant receivedAt) {}

  /** A push notification accepted by the push provider. */
  public record Push(
      String id,
      String deviceToken,
      String title,
      String body,
      String idempotencyKey,
      Instant receivedAt) {}

  /** A message the SMTP server accepted, its text decoded. */
  public record Email(
      String messageId,
      String from,
      List<String> to,
      String replyTo,
      String subject,
      String text,
      Instant receivedAt) {}
}
