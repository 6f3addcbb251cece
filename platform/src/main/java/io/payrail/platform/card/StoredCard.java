package io.payrail.platform.card;

/**
 * A card in the vault, as far as it may be shown: never its number or CVC.
 *
 * @param token {@code card_} and 24 base-62 characters; stands for the card everywhere else
 * @param bin the first six digits of the number
 * @param fingerprint the same for every token of one card number, and tells nothing of it
 * @param holderName the name printed on the card, or null
 */
public record StoredCard(
    String token,
    String merchantId,
    String brand,
    String bin,
    String last4,
    int expMonth,
    int expYear,
    String holderName,
    String fingerprint) {}
