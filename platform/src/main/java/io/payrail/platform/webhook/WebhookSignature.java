package io.payrail.platform.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Payrail-Signature} header, in Stripe's scheme: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">}, one {@code v1} per signing secret in force (two while a rolled
 * secret overlaps the new one).
 *
 * <p>A receiver verifies it with {@link #verify}: recompute the HMAC over the timestamp and the raw
 * body with its secret, compare in constant time with each {@code v1}, and refuse a timestamp more
 * than the tolerance (5 minutes) away from its clock, so a captured request cannot be replayed
 * later.
 */
public final class WebhookSignature {

  public static final String HEADER = "Payrail-Signature";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code time}, signed with each secret. */
  public static String sign(List<String> secrets, Instant time, String body) {
    StringBuilder header = new StringBuilder("t=").append(time.getEpochSecond());
    for (String secret : secrets) {
      header.append(",v1=").append(hmac(secret, time.getEpochSecond() + "." + body));
    }
    return header.toString();
  }

  /**
   * Whether {@code header} signs {@code body} with {@code secret} at a time within {@code
   * tolerance} of {@code now}.
   */
  public static boolean verify(
      String header, String body, String secret, Duration tolerance, Instant now) {
    if (header == null) {
      return false;
    }
    Long timestamp = null;
    List<String> signatures = new java.util.ArrayList<>();
    for (String part : header.split(",")) {
      int equals = part.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String name = part.substring(0, equals).strip();
      String value = part.substring(equals + 1).strip();
      if (name.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (name.equals("v1")) {
        signatures.add(value);
      }
    }
    if (timestamp == null || Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(secret, timestamp + "." + body).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String signature : signatures) {
      match |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }

  private static String hmac(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
