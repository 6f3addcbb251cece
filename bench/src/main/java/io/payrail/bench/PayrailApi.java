package io.payrail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The merchant's side of the REST API, as much of it as the load needs. */
final class PayrailApi {

  /** Far above any answer the API gives; a call that takes longer counts as an error. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String baseUrl;
  private final String apiKey;

  PayrailApi(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  /** What one call answered. */
  record Answer(int status, JsonNode body) {

    boolean ok() {
      return status / 100 == 2;
    }

    String id() {
      return body.path("id").asString();
    }

    String paymentStatus() {
      return body.path("status").asString();
    }
  }

  Answer createPayment(long amount, String currency, boolean manualCapture)
      throws IOException, InterruptedException {
    return post(
        "/v1/payments",
        """
        {"amount": %d, "currency": "%s", "capture_method": "%s",
         "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123",
                  "holder_name": "Bench Load"},
         "description": "benchmark"}
        """
            .formatted(amount, currency, manualCapture ? "manual" : "automatic"));
  }

  Answer capture(String paymentId) throws IOException, InterruptedException {
    return post("/v1/payments/" + paymentId + "/capture", "{}");
  }

  Answer refund(String paymentId, long amount) throws IOException, InterruptedException {
    return post(
        "/v1/refunds", "{\"payment\": \"%s\", \"amount\": %d}".formatted(paymentId, amount));
  }

  Answer get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + apiKey)
            .GET()
            .build();
    return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private Answer post(String path, String body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  private Answer answer(HttpResponse<String> response) {
    JsonNode body =
        response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
    return new Answer(response.statusCode(), body);
  }
}
