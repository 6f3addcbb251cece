package io.payrail.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bootstrap admin credential ({@code payrail.admin.token}): a bearer token for the {@code
 * /admin} endpoints, to create the first merchants before staff sign-in exists. Unset, the admin
 * endpoints refuse every caller. Give it at least 32 random characters, from a secret store.
 */
@ConfigurationProperties("payrail.admin")
public record AdminProperties(String token) {

  static final int MIN_LENGTH = 32;

  public AdminProperties {
    if (token != null && !token.isBlank() && token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "payrail.admin.token must be at least " + MIN_LENGTH + " characters");
    }
  }

  boolean enabled() {
    return token != null && !token.isBlank();
  }
}
