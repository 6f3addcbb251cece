package io.payrail.banksim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BankSimulatorTest {

  private static final String VISA = "4242424242424242";

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private BankSimulator bank;

  @BeforeEach
  void start() {
    bank = BankSimulator.start(0, new Faults(0, 0, 0, 0, 1_000, 2_000));
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void approvedCard_authorizesThenCaptures_andStatsCountIt() throws Exception {
    JsonNode auth = authorize("req-1", VISA, 1999);
    assertThat(auth.path("status").asString()).isEqualTo("authorized");

    JsonNode capture =
        post(
            "/v1/authorizations/" + id(auth) + "/capture",
            "{\"request_id\":\"req-2\",\"amount\":1500}");

    assertThat(capture.path("status").asString()).isEqualTo("captured");
    assertThat(capture.path("captured_amount").asLong()).isEqualTo(1500);
    JsonNode stats = get("/sim/stats").body;
    assertThat(stats.path("captures").asLong()).isEqualTo(1);
    assertThat(stats.path("captured").path("USD").asLong()).isEqualTo(1500);
  }

  @Test
  void declineCards_answerWithTheirDeclineCode() throws Exception {
    assertThat(authorize("d1", "4000000000000002", 100).path("decline_code").asString())
        .isEqualTo("generic_decline");
    assertThat(authorize("d2", "4000000000009995", 100).path("decline_code").asString())
        .isEqualTo("insufficient_funds");
    assertThat(authorize("d3", "4000000000000069", 100).path("decline_code").asString())
        .isEqualTo("expired_card");
    assertThat(get("/sim/stats").body.path("authorizations_declined").asLong()).isEqualTo(3);
  }

  @Test
  void sameRequestId_sameBody_replaysTheFirstAnswer_otherBody_isRefused() throws Exception {
    JsonNode first = authorize("same", VISA, 500);
    JsonNode again = authorize("same", VISA, 500);
    Response other = send("/v1/authorizations", authorizationBody("same", VISA, 501));

    assertThat(id(again)).isEqualTo(id(first));
    assertThat(other.status).isEqualTo(409);
    assertThat(other.body.path("error").path("code").asString()).isEqualTo("idempotency_mismatch");
    assertThat(get("/sim/stats").body.path("authorizations_approved").asLong()).isEqualTo(1);
  }

  @Test
  void concurrentRetriesOfOneRequest_authorizeOnce() throws Exception {
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(() -> id(authorize("racing", VISA, 700)));
    }
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (Future<String> result : pool.invokeAll(calls)) {
        ids.add(result.get());
      }
    }

    assertThat(ids).hasSize(50).containsOnly(ids.getFirst());
    assertThat(get("/sim/stats").body.path("authorizations_approved").asLong()).isEqualTo(1);
  }

  @Test
  void processingErrorCard_failsTwiceRetryably_thenApproves() throws Exception {
    String body = authorizationBody("flaky", "4000000000000119", 300);

    assertThat(send("/v1/authorizations", body).status).isEqualTo(503);
    assertThat(get("/v1/requests/flaky").status).isEqualTo(404);
    assertThat(send("/v1/authorizations", body).status).isEqualTo(503);
    Response third = send("/v1/authorizations", body);

    assertThat(third.status).isEqualTo(200);
    assertThat(third.body.path("status").asString()).isEqualTo("authorized");
  }

  @Test
  void neverAnsweringCard_isApprovedAtTheBank_andOnlyAnInquiryTellsSo() throws Exception {
    HttpRequest request =
        request("/v1/authorizations")
            .timeout(Duration.ofMillis(300))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    authorizationBody("lost", "4000000000000259", 900)))
            .build();

    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    Response inquiry = get("/v1/requests/lost");
    assertThat(inquiry.status).isEqualTo(200);
    assertThat(inquiry.body.path("response").path("status").asString()).isEqualTo("authorized");
    assertThat(inquiry.body.toString()).doesNotContain("4000000000000259");
  }

  @Test
  void slowCard_outlastsAShortClientTimeout() {
    HttpRequest request =
        request("/v1/authorizations")
            .timeout(Duration.ofMillis(100))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    authorizationBody("slow", "4000000000000770", 900)))
            .build();

    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void secondCaptureWithANewRequestId_isRefused_andCounted() throws Exception {
    String auth = id(authorize("a", VISA, 1000));
    post("/v1/authorizations/" + auth + "/capture", "{\"request_id\":\"c1\",\"amount\":1000}");

    Response again =
        send("/v1/authorizations/" + auth + "/capture", "{\"request_id\":\"c2\",\"amount\":1000}");

    assertThat(again.status).isEqualTo(409);
    assertThat(again.body.path("error").path("code").asString()).isEqualTo("already_captured");
    JsonNode stats = get("/sim/stats").body;
    assertThat(stats.path("captures").asLong()).isEqualTo(1);
    assertThat(stats.path("duplicate_capture_attempts").asLong()).isEqualTo(1);
  }

  @Test
  void refundsBeyondTheCapture_areRefused_andVoidAfterCapture_isRefused() throws Exception {
    String auth = id(authorize("a", VISA, 1000));
    post("/v1/authorizations/" + auth + "/capture", "{\"request_id\":\"c\",\"amount\":800}");
    post("/v1/authorizations/" + auth + "/refunds", "{\"request_id\":\"r1\",\"amount\":500}");

    Response tooMuch =
        send("/v1/authorizations/" + auth + "/refunds", "{\"request_id\":\"r2\",\"amount\":301}");
    Response voided = send("/v1/authorizations/" + auth + "/void", "{\"request_id\":\"v\"}");

    assertThat(tooMuch.status).isEqualTo(409);
    assertThat(voided.status).isEqualTo(409);
    JsonNode stats = get("/sim/stats").body;
    assertThat(stats.path("refunded").path("USD").asLong()).isEqualTo(500);
    assertThat(stats.path("over_refund_attempts").asLong()).isEqualTo(1);
  }

  @Test
  void outageFault_answers503BeforeProcessing_soARetryIsSafe() throws Exception {
    bank.setFaults(new Faults(1.0, 0, 0, 0, 1_000, 2_000));

    assertThat(send("/v1/authorizations", authorizationBody("o", VISA, 100)).status).isEqualTo(503);
    bank.setFaults(Faults.NONE);
    assertThat(get("/v1/requests/o").status).isEqualTo(404);
    assertThat(authorize("o", VISA, 100).path("status").asString()).isEqualTo("authorized");
  }

  @Test
  void faults_canBeSetOverHttp_andBadValuesAreRefused() throws Exception {
    Response set = put("/sim/faults", "{\"latency_ms\":5,\"error_rate\":0.1}");
    Response bad = put("/sim/faults", "{\"error_rate\":2}");

    assertThat(set.status).isEqualTo(200);
    assertThat(set.body.path("latency_ms").asLong()).isEqualTo(5);
    assertThat(bad.status).isEqualTo(400);
  }

  @Test
  void badInput_is400_andNeverEchoesTheCardNumber() throws Exception {
    Response broken = send("/v1/authorizations", "{\"request_id\":");
    Response negative = send("/v1/authorizations", authorizationBody("n", VISA, -5));
    Response noId = send("/v1/authorizations", "{\"amount\":1}");
    Response huge = send("/v1/authorizations", "{\"x\":\"" + "a".repeat(70_000) + "\"}");
    Response badCurrency =
        send("/v1/authorizations", authorizationBody("c", VISA, 5).replace("USD", "usd"));

    for (Response response : List.of(broken, negative, noId, huge, badCurrency)) {
      assertThat(response.status).isEqualTo(400);
      assertThat(response.body.toString()).doesNotContain(VISA);
    }
    assertThat(get("/v1/requests/unknown-id").status).isEqualTo(404);
  }

  private JsonNode authorize(String requestId, String card, long amount) throws Exception {
    return post("/v1/authorizations", authorizationBody(requestId, card, amount));
  }

  private static String authorizationBody(String requestId, String card, long amount) {
    return """
        {"request_id":"%s","amount":%d,"currency":"USD",
         "card":{"number":"%s","exp_month":12,"exp_year":2030,"cvc":"123"}}
        """
        .formatted(requestId, amount, card);
  }

  private static String id(JsonNode authorization) {
    return authorization.path("authorization_id").asString();
  }

  private JsonNode post(String path, String body) throws Exception {
    Response response = send(path, body);
    assertThat(response.status).as(response.body.toString()).isEqualTo(200);
    return response.body;
  }

  private Response send(String path, String body) throws Exception {
    return call(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Response put(String path, String body) throws Exception {
    return call(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Response get(String path) throws Exception {
    return call(request(path).GET());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(bank.baseUrl() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private Response call(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), json.readTree(response.body()));
  }

  private record Response(int status, JsonNode body) {}
}
