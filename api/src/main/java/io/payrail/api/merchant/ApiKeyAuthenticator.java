package io.payrail.api.merchant;

import java.util.Optional;
import org.springframework.stereotype.Component;

/** Turns a presented secret key into the merchant it belongs to, if it is valid and unrevoked. */
@Component
public class ApiKeyAuthenticator {

  private final MerchantRepository merchants;

  ApiKeyAuthenticator(MerchantRepository merchants) {
    this.merchants = merchants;
  }

  public Optional<MerchantPrincipal> authenticate(String presentedKey) {
    if (!ApiKeys.looksLikeKey(presentedKey)) {
      return Optional.empty();
    }
    return merchants
        .findByKey(presentedKey)
        .map(owner -> new MerchantPrincipal(owner.merchantId(), owner.keyId()));
  }
}
