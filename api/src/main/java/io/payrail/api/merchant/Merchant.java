package io.payrail.api.merchant;

import java.time.Instant;

/**
 * A business that takes payments through Payrail.
 *
 * @param email where alerts about the account go (an endpoint disabled); null when none
 * @param receiptsPayments email a receipt to the customer of every succeeded payment that has one
 * @param receiptsRefunds the same for succeeded refunds
 */
public record Merchant(
    String id,
    String name,
    String email,
    boolean receiptsPayments,
    boolean receiptsRefunds,
    Instant createdAt) {}
