package io.payrail.activities.notification;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whom a notification goes to, on which channel: written {@code email:ops@example.com}, {@code
 * sms:+15551234567} or {@code push:<device token>} in configuration.
 */
public record Recipient(Channel channel, String address) {

  // Deliberately loose: the SMTP server is the judge; this only refuses what cannot be an address.
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\",;]{1,64}@[^@\\s<>\",;]{1,253}");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern DEVICE_TOKEN = Pattern.compile("[A-Za-z0-9_:.-]{8,512}");

  public Recipient {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(address, "address");
    Pattern valid =
        switch (channel) {
          case EMAIL -> EMAIL;
          case SMS -> PHONE;
          case PUSH -> DEVICE_TOKEN;
        };
    if (!valid.matcher(address).matches()) {
      // Without the address: an email address or a phone number is personal data.
      throw new IllegalArgumentException("not a valid " + channel.code() + " recipient");
    }
  }

  public static Recipient email(String address) {
    return new Recipient(Channel.EMAIL, address);
  }

  /** Parses {@code channel:address}. */
  public static Recipient parse(String written) {
    int colon = written.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "a recipient is channel:address (email:, sms: or push:), not " + abbreviated(written));
    }
    Channel channel;
    try {
      channel = Channel.of(written.substring(0, colon).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown channel in " + abbreviated(written) + ": email, sms or push");
    }
    try {
      return new Recipient(channel, written.substring(colon + 1).strip());
    } catch (IllegalArgumentException e) {
      // Configuration, not a customer's data: say which entry.
      throw new IllegalArgumentException(e.getMessage() + ": " + abbreviated(written), e);
    }
  }

  private static String abbreviated(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
