package io.payrail.activities.notification;

import java.util.Locale;

/** How a notification reaches its recipient. */
public enum Channel {
  EMAIL,
  SMS,
  PUSH;

  /** As stored and configured: {@code email}, {@code sms}, {@code push}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Channel of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
