package io.payrail.workflows.payment;

/**
 * A cancellation with the merchant's reason (Stripe's: duplicate, fraudulent,
 * requested_by_customer, abandoned).
 */
public record CancelRequest(String reason) {}
