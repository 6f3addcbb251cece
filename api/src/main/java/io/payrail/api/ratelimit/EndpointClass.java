package io.payrail.api.ratelimit;

import io.payrail.api.security.Caller;
import java.util.Locale;

/**
 * The classes of endpoint that have limits of their own, named as in {@code payrail.rate-limits}
 * and in the per-merchant overrides. A merchant's reads and writes are counted apart so that a
 * polling loop cannot starve the same key's payments; admin writes (every write under {@code
 * /admin}: merchants, keys, limits, key rotation, settlement terms) apart from the rest of what
 * staff do, because they are the ones that must stop when the limiter cannot count (see {@link
 * RateLimitProperties.Limit#whenRedisDown()}).
 */
public enum EndpointClass {
  MERCHANT_WRITES,
  MERCHANT_READS,
  STAFF,
  ADMIN;

  private static final String ADMIN_PATH = "/admin/";

  /**
   * The class of a call by this caller. {@code path} is the decoded path the handler mappings
   * match, not the raw request URI: {@code /admin/v1/%6Derchants} is an admin write too.
   */
  static EndpointClass of(Caller caller, String method, String path) {
    boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    if (caller.kind() == Caller.Kind.MERCHANT) {
      return read ? MERCHANT_READS : MERCHANT_WRITES;
    }
    return !read && path.startsWith(ADMIN_PATH) ? ADMIN : STAFF;
  }

  /** The name in configuration, in the database and in Redis keys: {@code merchant-writes}. */
  String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The name in the API's JSON: {@code merchant_writes}. */
  String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static EndpointClass fromConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
