package io.payrail.activities.reconciliation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Fetches the acquirer's settlement report of a day ({@code GET
 * /v1/settlement_reports?date=&currency=}), with connect and request timeouts, a deadline on
 * reading the body (the request timeout ends at the headers) and a size bound. Fetching changes
 * nothing at the bank, so any failure may be retried, except a refusal of the request itself (4xx
 * other than 404, which means not published yet).
 */
final class SettlementReportClient {

  /** A report larger than this is refused: about two million lines. */
  static final int MAX_BYTES = 256 * 1024 * 1024;

  /**
   * How long the body may take once the headers came: inside the fetch activity's 5-minute timeout,
   * so a stalled transfer ends in a retry, never in a worker thread held for good.
   */
  static final Duration BODY_DEADLINE = Duration.ofMinutes(4);

  private final URI baseUrl;
  private final Duration requestTimeout;
  private final HttpClient http;

  /** The bank refused the request for good: asking again would get the same answer. */
  static final class ReportRefusedException extends RuntimeException {
    ReportRefusedException(String message) {
      super(message);
    }
  }

  SettlementReportClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this.baseUrl = baseUrl;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The report's bytes, exactly as sent (their hash identifies the file).
   *
   * @throws ReportRefusedException when the bank refuses the request (4xx but 404)
   * @throws IllegalStateException when the bank cannot answer now: retry
   */
  byte[] fetch(String currency, LocalDate date) {
    URI uri = baseUrl.resolve("/v1/settlement_reports?date=" + date + "&currency=" + currency);
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("the bank's settlement report could not be fetched", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching the settlement report", e);
    }
    try (InputStream body = response.body()) {
      byte[] bytes = readWithin(body, BODY_DEADLINE);
      int status = response.statusCode();
      if (status == 200) {
        if (bytes.length > MAX_BYTES) {
          throw new ReportRefusedException("the settlement report exceeds " + MAX_BYTES + " bytes");
        }
        return bytes;
      }
      if (status >= 400 && status < 500 && status != 404 && status != 429) {
        throw new ReportRefusedException(
            "the bank refused the settlement report request: HTTP " + status);
      }
      throw new IllegalStateException("the settlement report is not available: HTTP " + status);
    } catch (IOException e) {
      throw new IllegalStateException("the settlement report was cut off", e);
    }
  }

  /** Reads up to MAX_BYTES + 1 bytes; past the deadline the stream is closed and the read fails. */
  static byte[] readWithin(InputStream body, Duration deadline) throws IOException {
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(deadline);
                    body.close();
                  } catch (InterruptedException | IOException finished) {
                    // read in time (interrupted), or the stream is already closed
                  }
                });
    try {
      return body.readNBytes(MAX_BYTES + 1);
    } finally {
      closer.interrupt();
    }
  }
}
