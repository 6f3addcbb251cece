package io.payrail.notifysim;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server on loopback (GreenMail), accepting mail for any address without
 * authentication, as a relay on a private network does.
 */
final class MailServer implements AutoCloseable {

  private final GreenMail greenMail;

  private MailServer(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  static MailServer start(int port) {
    ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
    if (port == 0) {
      setup = setup.dynamicPort();
    }
    setup.setServerStartupTimeout(10_000);
    GreenMail greenMail = new GreenMail(setup);
    greenMail.start();
    return new MailServer(greenMail);
  }

  int port() {
    return greenMail.getSmtp().getPort();
  }

  List<Received.Email> emails() {
    return Arrays.stream(greenMail.getReceivedMessages()).map(MailServer::email).toList();
  }

  void reset() {
    try {
      greenMail.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      throw new IllegalStateException("could not empty the mailboxes", e);
    }
  }

  @Override
  public void close() {
    greenMail.stop();
  }

  private static Received.Email email(MimeMessage message) {
    try {
      Address[] replyTo = message.getReplyTo();
      // GreenMail keeps one copy per recipient mailbox; each names every recipient.
      List<String> to =
          Arrays.stream(message.getRecipients(Message.RecipientType.TO))
              .map(Address::toString)
              .toList();
      return new Received.Email(
          message.getMessageID(),
          message.getFrom()[0].toString(),
          to,
          replyTo == null || replyTo.length == 0 ? null : replyTo[0].toString(),
          message.getSubject(),
          text(message.getContent()),
          message.getSentDate() == null ? Instant.now() : message.getSentDate().toInstant());
    } catch (MessagingException e) {
      throw new IllegalStateException("an unreadable message", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Object content) throws MessagingException, IOException {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart part = multipart.getBodyPart(i);
        if (part.isMimeType("text/plain")) {
          return (String) part.getContent();
        }
      }
    }
    return "";
  }
}
