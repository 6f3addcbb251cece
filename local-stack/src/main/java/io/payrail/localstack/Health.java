package io.payrail.localstack;

import io.payrail.devservers.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Waits for a Spring Boot application's {@code /actuator/health} to answer UP. */
final class Health {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Health() {}

  static void awaitUp(String name, ManagedProcess process, String healthUrl, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      process.requireAlive();
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(healthUrl))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      pause();
    }
    throw new IllegalStateException(
        name
            + " was not healthy within "
            + timeout
            + " (last answer: "
            + last
            + "); see "
            + process.logFile());
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
