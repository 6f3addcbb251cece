package io.payrail.activities.webhook;

import io.payrail.platform.webhook.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * POSTs one signed event. Redirects are not followed (a 3xx is a failed attempt: the merchant must
 * register the final URL); any 2xx is delivered; the whole exchange has a timeout; the answer is
 * kept only as a bounded snippet.
 */
public final class WebhookSender {

  static final int SNIPPET_CHARS = 1024;

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public WebhookSender(Duration timeout, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
    this.timeout = timeout;
    this.clock = clock;
  }

  /** What the endpoint answered; {@code statusCode} 0 and an {@code error} when it did not. */
  public record Sent(int statusCode, long latencyMillis, String snippet, String error) {
    public boolean delivered() {
      return statusCode >= 200 && statusCode < 300;
    }
  }

  public Sent send(String url, String body, List<String> secrets) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Payrail-Webhooks/1.0")
            .header(WebhookSignature.HEADER, WebhookSignature.sign(secrets, clock.instant(), body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    long started = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      // Only the first bytes are read: an endpoint cannot make Payrail hold a large answer.
      String snippet;
      try (InputStream answer = response.body()) {
        snippet = new String(answer.readNBytes(SNIPPET_CHARS), StandardCharsets.UTF_8);
      }
      return new Sent(response.statusCode(), elapsed(started), snippet, null);
    } catch (HttpTimeoutException e) {
      return new Sent(0, elapsed(started), null, "timed out after " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      return new Sent(
          0, elapsed(started), null, "connection failed: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(0, elapsed(started), null, "interrupted");
    }
  }

  private static long elapsed(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
