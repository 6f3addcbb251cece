package io.payrail.activities.notification;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Email through SMTP. The Message-ID is the notification's, so should a retry follow an answer lost
 * after the server took the message, mail clients show the two copies as one. (SMTP has no
 * idempotency key: that rare duplicate is the price of never losing a message.)
 */
final class EmailSender implements ChannelSender {

  private final JavaMailSender mail;
  private final String from;

  EmailSender(JavaMailSender mail, String from) {
    this.mail = mail;
    this.from = from;
  }

  @Override
  public String send(String notificationId, Recipient to, Rendered message, String replyTo) {
    String messageId = "<" + notificationId + "@payrail>";
    try {
      MimeMessage mime = mail.createMimeMessage();
      MimeMessageHelper helper = new MimeMessageHelper(mime, "UTF-8");
      helper.setFrom(from);
      helper.setTo(to.address());
      if (replyTo != null) {
        helper.setReplyTo(replyTo);
      }
      helper.setSubject(message.subject());
      helper.setText(message.text());
      // JavaMailSenderImpl keeps a Message-ID set before sending.
      mime.setHeader("Message-ID", messageId);
      mail.send(mime);
      return messageId;
    } catch (MessagingException e) {
      throw new NotificationRejectedException("email: unusable message: " + e.getMessage());
    } catch (MailSendException e) {
      if (rejectedRecipient(e)) {
        throw new NotificationRejectedException(
            "email: the server refused the recipient's address");
      }
      throw new IllegalStateException("email: " + e.getMessage(), e);
    } catch (MailException e) {
      throw new IllegalStateException("email: " + e.getMessage(), e);
    }
  }

  /** A 5xx answer to RCPT TO: that address will not take mail. */
  private static boolean rejectedRecipient(MailSendException e) {
    return e.getFailedMessages().values().stream()
        .anyMatch(
            failure ->
                failure instanceof SendFailedException sent
                    && sent.getInvalidAddresses() != null
                    && sent.getInvalidAddresses().length > 0);
  }
}
