package io.payrail.activities.bank;

import io.payrail.workflows.common.Money;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the acquiring bank over HTTP. Every call carries the caller's request id, which the bank
 * deduplicates on, so a retry with the same id can never act twice; every call has a timeout.
 *
 * <p>Failures come in the three kinds Payrail handles differently:
 *
 * <ul>
 *   <li>a definite answer, including a decline or a refusal: a {@link BankResponse};
 *   <li>the request was not processed: {@link BankUnavailableException}, retry as it is;
 *   <li>the request may have been processed: {@link BankOutcomeUnknownException}, resolve by {@link
 *       #inquire}.
 * </ul>
 */
public final class BankClient {

  private final URI baseUrl;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  public BankClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this.baseUrl = baseUrl;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public BankResponse authorize(String requestId, Money amount, CardDetails card) {
    Map<String, Object> cardBody = new LinkedHashMap<>();
    cardBody.put("number", card.number());
    cardBody.put("exp_month", card.expMonth());
    cardBody.put("exp_year", card.expYear());
    // A card may come without CVC (the merchant sent none): the field is left out, not null.
    if (card.cvc() != null) {
      cardBody.put("cvc", card.cvc());
    }
    Map<String, Object> body = amountBody(requestId, amount);
    body.put("card", cardBody);
    return post(requestId, "/v1/authorizations", body);
  }

  public BankResponse capture(String requestId, String authorizationId, Money amount) {
    return post(
        requestId,
        "/v1/authorizations/" + authorizationId + "/capture",
        amountBody(requestId, amount));
  }

  public BankResponse voidAuthorization(String requestId, String authorizationId) {
    return post(
        requestId,
        "/v1/authorizations/" + authorizationId + "/void",
        Map.of("request_id", requestId));
  }

  public BankResponse refund(String requestId, String authorizationId, Money amount) {
    return post(
        requestId,
        "/v1/authorizations/" + authorizationId + "/refunds",
        amountBody(requestId, amount));
  }

  /**
   * What became of a request id: the bank's answer when it processed it, empty when it never did
   * (then the request may be sent again, or abandoned, safely).
   *
   * @throws BankUnavailableException when the bank cannot be asked right now
   */
  public Optional<BankResponse> inquire(String requestId) {
    HttpResponse<String> response;
    try {
      response =
          send(
              requestId,
              HttpRequest.newBuilder(baseUrl.resolve("/v1/requests/" + requestId)).GET());
    } catch (BankOutcomeUnknownException e) {
      // A lost inquiry changed nothing at the bank: it is as safe to repeat as a refused one.
      throw new BankUnavailableException("inquiry for " + requestId + " got no answer", e);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode inquiry = parse(response);
    return Optional.of(
        interpret(inquiry.path("http_status").asInt(), inquiry.path("response"), requestId));
  }

  private BankResponse post(String requestId, String path, Map<String, Object> body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUrl.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    HttpResponse<String> response = send(requestId, request);
    return interpret(response.statusCode(), parse(response), requestId);
  }

  private HttpResponse<String> send(String requestId, HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 500) {
        throw new BankUnavailableException(
            "the bank answered " + response.statusCode() + " " + errorCode(response), null);
      }
      return response;
    } catch (HttpConnectTimeoutException | ConnectException notSent) {
      throw new BankUnavailableException("the bank could not be reached", notSent);
    } catch (IOException sentButUnanswered) {
      throw new BankOutcomeUnknownException(requestId, sentButUnanswered);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BankOutcomeUnknownException(requestId, e);
    }
  }

  private static BankResponse interpret(int status, JsonNode body, String requestId) {
    if (status == 200 && body.path("status").asString("").equals("declined")) {
      return new BankResponse.Declined(body.path("decline_code").asString("generic_decline"));
    }
    if (status == 200) {
      return new BankResponse.Accepted(
          body.path("authorization_id").asString(),
          body.path("status").asString(),
          body.path("captured_amount").asLong(),
          body.path("refunded_amount").asLong());
    }
    if (status == 400 || status == 404 || status == 409) {
      return new BankResponse.Refused(
          body.path("error").path("code").asString("refused"),
          body.path("error").path("message").asString(""));
    }
    throw new BankUnavailableException(
        "unexpected answer " + status + " from the bank to " + requestId, null);
  }

  private JsonNode parse(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (RuntimeException e) {
      throw new BankUnavailableException("the bank answered with something that is not JSON", e);
    }
  }

  private String errorCode(HttpResponse<String> response) {
    try {
      return json.readTree(response.body()).path("error").path("code").asString("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static Map<String, Object> amountBody(String requestId, Money amount) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("request_id", requestId);
    body.put("amount", amount.minor());
    body.put("currency", amount.currency().getCurrencyCode());
    return body;
  }
}
