package io.payrail.api.merchant;

/** Who is calling: the merchant an API key belongs to, and which key it used. */
public record MerchantPrincipal(String merchantId, String apiKeyId) {}
