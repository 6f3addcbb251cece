package io.payrail.api.merchant;

import java.time.Instant;

/** A business that takes payments through Payrail. */
public record Merchant(String id, String name, Instant createdAt) {}
