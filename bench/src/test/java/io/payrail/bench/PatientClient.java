package io.payrail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A merchant's client that does what the API documents for trouble: a request that fails, times
 * out, answers 5xx, 409 (the first one still running) or 429 is sent again, with the same
 * Idempotency-Key, until it gets a definite answer; a payment answered {@code processing} is read
 * again until it is decided.
 */
final class PatientClient {

  private static final Duration PATIENCE = Duration.ofMinutes(5);
  private static final Duration PAUSE = Duration.ofMillis(300);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String baseUrl;
  private final String apiKey;

  /** Answers that were not definite (5xx, 409, 429, failures), for the report. */
  final java.util.concurrent.atomic.LongAdder retries = new java.util.concurrent.atomic.LongAdder();

  /** 5xx answers among them. */
  final java.util.concurrent.atomic.LongAdder serverErrors =
      new java.util.concurrent.atomic.LongAdder();

  /** 500s among those: Payrail failing, where a 503 would have said "retry". */
  final java.util.concurrent.atomic.LongAdder internalErrors =
      new java.util.concurrent.atomic.LongAdder();

  PatientClient(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  /** A definite answer (2xx or a 4xx other than 409 and 429) to the POST. */
  Answer post(String path, String body, String idempotencyKey) throws InterruptedException {
    return patiently(
        () ->
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
  }

  Answer get(String path) throws InterruptedException {
    return patiently(
        () ->
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .GET()
                .build());
  }

  /** Reads {@code path} until its {@code status} is one of {@code statuses}. */
  JsonNode await(String path, Set<String> statuses) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Answer answer = get(path);
      if (answer.status() == 200 && statuses.contains(answer.body().path("status").asString())) {
        return answer.body();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " still " + answer.body() + " after " + PATIENCE);
      }
      Thread.sleep(PAUSE);
    }
  }

  record Answer(int status, JsonNode body) {}

  private Answer patiently(java.util.function.Supplier<HttpRequest> request)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String last = "nothing";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            http.send(request.get(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status < 500 && status != 409 && status != 429) {
          return new Answer(
              status,
              response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body()));
        }
        if (status >= 500) {
          serverErrors.increment();
        }
        if (status == 500) {
          internalErrors.increment();
        }
        last = status + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      retries.increment();
      Thread.sleep(PAUSE);
    }
    throw new AssertionError("no definite answer after " + PATIENCE + "; last: " + last);
  }
}
