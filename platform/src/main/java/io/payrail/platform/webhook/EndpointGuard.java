package io.payrail.platform.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Refuses webhook URLs that would make Payrail a door into its own network: every address the host
 * resolves to must be public (not loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast or unspecified), unless a setting allows them. Checked when an endpoint is registered
 * and again before every attempt, because DNS can change.
 */
public final class EndpointGuard {

  private final boolean allowPrivateAddresses;
  private final boolean allowHttp;

  public EndpointGuard(boolean allowPrivateAddresses, boolean allowHttp) {
    this.allowPrivateAddresses = allowPrivateAddresses;
    this.allowHttp = allowHttp;
  }

  /** Null when the URL may receive webhooks, else why not (safe to show the merchant). */
  public String refusal(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return "not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      return allowHttp ? "the URL must be http or https" : "the URL must be https";
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      return "the URL must name a host, without credentials";
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      return "the host does not resolve";
    }
    if (allowPrivateAddresses) {
      return null;
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        return "the host resolves to a private, loopback or link-local address";
      }
    }
    return null;
  }

  public static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8, 192.0.0.0/24, 198.18.0.0/15 benchmarking
      return (first == 100 && second >= 64 && second <= 127)
          || first == 0
          || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19));
    }
    // fc00::/7 unique local
    return (bytes[0] & 0xfe) == 0xfc;
  }
}
