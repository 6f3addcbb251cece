package io.payrail.activities.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SMS and push through an HTTP provider ({@code POST /v1/sms}, {@code POST /v1/push}), with the
 * notification id as the Idempotency-Key: a retry after a lost answer sends nothing twice. A 4xx
 * answer (but 408 and 429) is a refusal; 5xx, 408, 429, timeouts and connection failures are
 * transient.
 */
final class ProviderSender implements ChannelSender {

  private static final int MAX_ERROR = 300;

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;
  private final JsonMapper json;

  ProviderSender(URI base, Duration timeout, JsonMapper json) {
    this.base = base;
    this.timeout = timeout;
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String send(String notificationId, Recipient to, Rendered message, String replyTo) {
    Map<String, Object> body = new LinkedHashMap<>();
    String path =
        switch (to.channel()) {
          case SMS -> {
            body.put("to", to.address());
            body.put("body", message.text().strip());
            yield "/v1/sms";
          }
          case PUSH -> {
            body.put("device_token", to.address());
            body.put("title", message.subject());
            body.put("body", message.text().strip());
            yield "/v1/push";
          }
          case EMAIL -> throw new IllegalArgumentException("email goes through SMTP");
        };
    String channel = to.channel().code();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", notificationId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IllegalStateException(channel + ": no answer within " + timeout, e);
    } catch (IOException e) {
      throw new IllegalStateException(channel + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(channel + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return field(response.body(), "id");
    }
    String error = channel + ": HTTP " + status + " " + errorOf(response.body());
    if (status / 100 == 4 && status != 408 && status != 429) {
      throw new NotificationRejectedException(error);
    }
    throw new IllegalStateException(error);
  }

  private String errorOf(String body) {
    String code = field(body, "error", "code");
    String message = field(body, "error", "message");
    String text = code == null ? String.valueOf(body) : code + ": " + message;
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
  }

  private String field(String body, String... path) {
    try {
      JsonNode node = json.readTree(body);
      for (String name : path) {
        node = node.path(name);
      }
      return node.isString() ? node.asString() : null;
    } catch (JacksonException e) {
      return null;
    }
  }
}
