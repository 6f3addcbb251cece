package io.payrail.api.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tells the three bearer credentials apart, by shape alone, before any lookup: a staff JWT has
 * three dot-separated parts whose first is base64url JSON ({@code eyJ...}); a merchant key starts
 * {@code sk_} and has no dot; anything else is compared with the bootstrap admin token. A JWT is
 * never looked up as a key, and a key never reaches the JWT decoder.
 */
final class Credentials {

  private Credentials() {}

  static boolean isJwt(String credential) {
    if (credential == null) {
      return false;
    }
    int first = credential.indexOf('.');
    if (first <= 0 || credential.indexOf('.', first + 1) < 0) {
      return false;
    }
    try {
      String header =
          new String(
              Base64.getUrlDecoder().decode(credential.substring(0, first)),
              StandardCharsets.UTF_8);
      return header.stripLeading().startsWith("{");
    } catch (IllegalArgumentException notBase64Url) {
      return false;
    }
  }
}
