package io.payrail.api.ratelimit;

/**
 * The limit a bucket is held to, and its version: 0 for the defaults of {@code
 * payrail.rate-limits}, the override's version (from a database sequence, so always growing) for a
 * merchant's override. Bucket4j replaces the configuration stored with a bucket when it is given a
 * newer version, which is how a changed limit applies without a restart.
 */
record Policy(RateLimitProperties.Limit limit, long version) {}
