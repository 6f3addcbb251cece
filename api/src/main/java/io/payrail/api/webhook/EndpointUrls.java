package io.payrail.api.webhook;

import io.payrail.api.error.ApiException;
import io.payrail.platform.webhook.EndpointGuard;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks an endpoint URL when it is registered, with the rules the workers apply again before every
 * attempt ({@link EndpointGuard}): https only and public addresses only, unless {@code
 * payrail.webhooks.allow-http} / {@code allow-private-addresses} say otherwise (local profile).
 */
@Component
class EndpointUrls {

  private final EndpointGuard guard;

  EndpointUrls(
      @Value("${payrail.webhooks.allow-private-addresses:false}") boolean allowPrivateAddresses,
      @Value("${payrail.webhooks.allow-http:false}") boolean allowHttp) {
    this.guard = new EndpointGuard(allowPrivateAddresses, allowHttp);
  }

  void check(String url) {
    String refusal = guard.refusal(url);
    if (refusal != null) {
      throw ApiException.invalid(
          "url", "url_invalid", "This URL cannot receive webhooks: " + refusal);
    }
  }
}
