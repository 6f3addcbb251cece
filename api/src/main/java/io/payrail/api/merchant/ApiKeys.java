package io.payrail.api.merchant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Secret API keys, Stripe style: {@code sk_test_} followed by 40 random base-62 characters (238
 * bits). Only {@link #hash} of a key is ever stored; the key itself is shown once.
 */
public final class ApiKeys {

  static final String TEST_PREFIX = "sk_test_";
  static final int RANDOM_LENGTH = 40;

  /** How much of a key is kept in clear to tell keys apart: the mode and four characters. */
  static final int VISIBLE_LENGTH = TEST_PREFIX.length() + 4;

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  static String newTestKey() {
    return TEST_PREFIX + randomBase62(RANDOM_LENGTH);
  }

  /** An object id such as {@code mer_...} or {@code key_...}: 24 random base-62 characters. */
  public static String newId(String prefix) {
    return prefix + "_" + randomBase62(24);
  }

  static String visiblePrefix(String key) {
    return key.substring(0, VISIBLE_LENGTH);
  }

  /** Whether a presented string could be a key at all, before any database lookup. */
  static boolean looksLikeKey(String candidate) {
    if (candidate == null
        || !candidate.startsWith(TEST_PREFIX)
        || candidate.length() != TEST_PREFIX.length() + RANDOM_LENGTH) {
      return false;
    }
    for (int i = TEST_PREFIX.length(); i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!Character.isLetterOrDigit(c) || c > 'z') {
        return false;
      }
    }
    return true;
  }

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String randomBase62(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
