package io.payrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.DevServersSettings;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payments through the REST API of the whole local stack: the api and the workers as processes, the
 * real Temporal, PostgreSQL and Kafka, and the bank simulator. The last tests look over everything
 * the others left behind: no card number anywhere, and a ledger that balances.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaymentsIT {

  static final String VISA = "4242424242424242";
  static final List<String> EVERY_TEST_CARD =
      List.of(
          VISA,
          "4000000000000002",
          "4000000000009995",
          "4000000000000069",
          "4000000000000119",
          "4000000000000259",
          // refused at the edge: a failed Luhn check, a number where an amount belongs, a number
          // in a body too large to read
          "4242424242424241",
          "4000000000000077",
          "5555555555554444");

  static LocalStack stack;
  static String merchant;
  static String key;
  static final JsonMapper json = JsonMapper.builder().build();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Every response body any test received, for the card-number scan. */
  static final List<String> responses = java.util.Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void startStack() throws Exception {
    // Under target/, not a temporary folder: the logs stay for a look after a failure.
    Path home =
        Files.createTempDirectory(Files.createDirectories(Path.of("target")), "payments-it-");
    Path root = Path.of(System.getProperty("payrail.repo.root", "..")).toAbsolutePath().normalize();
    stack =
        LocalStack.start(
            new LocalStackSettings(
                DevServersSettings.onFreePorts(home, root),
                Path.of(System.getProperty("payrail.api.jar")),
                Path.of(System.getProperty("payrail.workers.jar")),
                0,
                0,
                Map.of(
                    "payrail.payments.authorization-validity", "20s",
                    "payrail.bank.request-timeout", "2s",
                    "payrail.webhooks.first-retry", "1s",
                    // an endpoint failing for 4 s is disabled (production: 5 days)
                    "payrail.webhooks.disable-after", "4s")));
    JsonNode created = createMerchant("Payments IT");
    merchant = created.path("id").asString();
    key = created.path("api_key").path("secret").asString();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void automaticPayment_succeeds_andOperatorsFindItsWorkflowInTemporal() throws Exception {
    HttpResponse<String> response = pay(card(VISA), "automatic", 2000, "usd", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode payment = json.readTree(response.body());
    String id = payment.path("id").asString();
    assertThat(payment.path("status").asString()).isEqualTo("succeeded");
    assertThat(payment.path("amount_captured").asLong()).isEqualTo(2000);
    assertThat(payment.path("card").path("last4").asString()).isEqualTo("4242");
    assertThat(payment.path("card").path("brand").asString()).isEqualTo("visa");
    assertThat(json.readTree(get("/v1/payments/" + id, key).body())).isEqualTo(payment);

    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.servers().temporal().target())
                .build());
    try {
      var found =
          await(
              () ->
                  service
                      .blockingStub()
                      .listWorkflowExecutions(
                          ListWorkflowExecutionsRequest.newBuilder()
                              .setNamespace("payrail")
                              .setQuery(
                                  "PaymentId = '"
                                      + id
                                      + "' AND MerchantId = '"
                                      + merchant
                                      + "' AND PaymentStatus = 'succeeded' AND Currency = 'USD'"
                                      + " AND Amount = 2000")
                              .build())
                      .getExecutionsList(),
              executions -> executions.size() == 1);
      assertThat(found.getFirst().getExecution().getWorkflowId()).isEqualTo("payment-" + id);
    } finally {
      service.shutdown();
    }
  }

  @Test
  @Order(2)
  void manualPayment_partialCapture_capturesThatAmount_andReleasesTheRest() throws Exception {
    long capturedBefore = bankStats().path("captured").path("EUR").asLong();
    JsonNode authorized = json.readTree(pay(card(VISA), "manual", 5000, "eur", null).body());
    assertThat(authorized.path("status").asString()).isEqualTo("requires_capture");
    String id = authorized.path("id").asString();

    HttpResponse<String> captured =
        post("/v1/payments/" + id + "/capture", key, "{\"amount_to_capture\":3000}", null);

    assertThat(captured.statusCode()).as(captured.body()).isEqualTo(200);
    assertThat(json.readTree(captured.body()).path("status").asString()).isEqualTo("succeeded");
    assertThat(json.readTree(captured.body()).path("amount_captured").asLong()).isEqualTo(3000);
    assertThat(bankStats().path("captured").path("EUR").asLong() - capturedBefore)
        .as("the bank captured 3000 and released the rest")
        .isEqualTo(3000);
    assertThat(
            sqlLong(
                "SELECT count(*) FROM journal_entries WHERE payment_id = '"
                    + id
                    + "' AND kind = 'release'"))
        .isEqualTo(1);
  }

  @Test
  @Order(3)
  void cancel_voidsTheAuthorization_andThenCaptureIsRefusedWithTheSameErrorObject()
      throws Exception {
    String id =
        json.readTree(pay(card(VISA), "manual", 1200, "usd", null).body()).path("id").asString();

    HttpResponse<String> canceled =
        post(
            "/v1/payments/" + id + "/cancel",
            key,
            "{\"cancellation_reason\":\"requested_by_customer\"}",
            null);
    HttpResponse<String> capture = post("/v1/payments/" + id + "/capture", key, "{}", null);

    assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
    assertThat(json.readTree(canceled.body()).path("status").asString()).isEqualTo("canceled");
    assertThat(json.readTree(canceled.body()).path("cancellation_reason").asString())
        .isEqualTo("requested_by_customer");
    assertThat(capture.statusCode()).isEqualTo(400);
    JsonNode error = json.readTree(capture.body()).path("error");
    assertThat(error.path("code").asString()).isEqualTo("payment_unexpected_state");
    assertThat(error.path("request_id").asString()).isNotBlank();
  }

  @Test
  @Order(4)
  void captureAboveTheAuthorization_is400NamingTheField_andChangesNothing() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "manual", 1000, "usd", null).body()).path("id").asString();

    HttpResponse<String> response =
        post("/v1/payments/" + id + "/capture", key, "{\"amount_to_capture\":1001}", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json.readTree(response.body()).path("error").path("param").asString())
        .isEqualTo("amount_to_capture");
    assertThat(json.readTree(get("/v1/payments/" + id, key).body()).path("status").asString())
        .isEqualTo("requires_capture");
  }

  @ParameterizedTest
  @Order(5)
  @CsvSource({
    "4000000000000002, card_declined, generic_decline",
    "4000000000009995, card_declined, insufficient_funds",
    "4000000000000069, expired_card, expired_card"
  })
  void declinedCard_is402CardError_carryingTheFailedPayment(
      String number, String code, String declineCode) throws Exception {
    HttpResponse<String> response = pay(card(number), "automatic", 700, "usd", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(402);
    JsonNode error = json.readTree(response.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("card_error");
    assertThat(error.path("code").asString()).isEqualTo(code);
    assertThat(error.path("decline_code").asString()).isEqualTo(declineCode);
    assertThat(error.path("message").asString()).isNotBlank();
    String id = error.path("payment").path("id").asString();
    JsonNode stored = json.readTree(get("/v1/payments/" + id, key).body());
    assertThat(stored.path("status").asString()).isEqualTo("failed");
    assertThat(stored.path("decline_code").asString()).isEqualTo(declineCode);
  }

  @Test
  @Order(6)
  void bankErrorsThatAreRetryable_andAnswersThatNeverCome_endInOneCharge() throws Exception {
    JsonNode before = bankStats();

    HttpResponse<String> flaky = pay(card("4000000000000119"), "automatic", 900, "usd", null);
    HttpResponse<String> silent = pay(card("4000000000000259"), "automatic", 900, "usd", null);

    assertThat(flaky.statusCode()).as(flaky.body()).isEqualTo(200);
    assertThat(json.readTree(flaky.body()).path("status").asString()).isEqualTo("succeeded");
    // The silent card's authorization is resolved by inquiry, which may outlast the API's wait.
    String silentId = json.readTree(silent.body()).path("id").asString();
    JsonNode resolved =
        await(
            () -> json.readTree(get("/v1/payments/" + silentId, key).body()),
            p -> !p.path("status").asString().equals("processing"));
    assertThat(resolved.path("status").asString()).isIn("succeeded", "failed");
    JsonNode after = bankStats();
    assertThat(after.path("duplicate_capture_attempts").asLong())
        .isEqualTo(before.path("duplicate_capture_attempts").asLong());
    long newCaptures = after.path("captures").asLong() - before.path("captures").asLong();
    assertThat(newCaptures)
        .isEqualTo(resolved.path("status").asString().equals("succeeded") ? 2 : 1);
  }

  @Test
  @Order(7)
  void uncapturedAuthorization_expires_andIsVoided() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "manual", 800, "usd", null).body()).path("id").asString();

    JsonNode expired =
        await(
            () -> json.readTree(get("/v1/payments/" + id, key).body()),
            p -> p.path("status").asString().equals("canceled"));

    assertThat(expired.path("cancellation_reason").asString()).isEqualTo("expired");
    assertThat(
            sqlLong(
                "SELECT count(*) FROM journal_entries WHERE payment_id = '"
                    + id
                    + "' AND kind = 'void'"))
        .isEqualTo(1);
  }

  @Test
  @Order(8)
  void anotherMerchantsPayment_answersExactlyAsAnUnknownOne() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "automatic", 500, "usd", null).body()).path("id").asString();
    String otherKey = createMerchant("Other").path("api_key").path("secret").asString();

    HttpResponse<String> theirs = get("/v1/payments/" + id, otherKey);
    HttpResponse<String> unknown = get("/v1/payments/pay_000000000000000000000000", otherKey);
    HttpResponse<String> capture = post("/v1/payments/" + id + "/capture", otherKey, "{}", null);
    HttpResponse<String> cancel = post("/v1/payments/" + id + "/cancel", otherKey, "{}", null);
    HttpResponse<String> refund =
        post("/v1/refunds", otherKey, "{\"payment\":\"" + id + "\"}", null);

    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(capture.statusCode()).isEqualTo(404);
    assertThat(cancel.statusCode()).isEqualTo(404);
    assertThat(refund.statusCode()).isEqualTo(400);
    assertThat(json.readTree(refund.body()).path("error").path("code").asString())
        .isEqualTo("resource_missing");
    assertThat(withoutRequestId(theirs.body()).replace(id, "ID"))
        .isEqualTo(withoutRequestId(unknown.body()).replace("pay_000000000000000000000000", "ID"));
    assertThat(json.readTree(get("/v1/payments", otherKey).body()).path("data").size()).isZero();
  }

  @Test
  @Order(9)
  void list_pagesForwardAndBack_andFiltersByStatus() throws Exception {
    JsonNode fresh = createMerchant("Lister");
    String listKey = fresh.path("api_key").path("secret").asString();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String method = i % 2 == 0 ? "automatic" : "manual";
      ids.add(
          0,
          json.readTree(payAs(listKey, card(VISA), method, 100 + i, "usd", null).body())
              .path("id")
              .asString());
    }

    JsonNode first = json.readTree(get("/v1/payments?limit=2", listKey).body());
    String last = first.path("data").get(1).path("id").asString();
    JsonNode second =
        json.readTree(get("/v1/payments?limit=2&starting_after=" + last, listKey).body());
    JsonNode third =
        json.readTree(
            get(
                    "/v1/payments?limit=2&starting_after="
                        + second.path("data").get(1).path("id").asString(),
                    listKey)
                .body());
    JsonNode back =
        json.readTree(
            get(
                    "/v1/payments?limit=2&ending_before="
                        + second.path("data").get(0).path("id").asString(),
                    listKey)
                .body());
    JsonNode manual = json.readTree(get("/v1/payments?status=requires_capture", listKey).body());

    assertThat(ids(first)).containsExactlyElementsOf(ids.subList(0, 2));
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(ids(second)).containsExactlyElementsOf(ids.subList(2, 4));
    assertThat(ids(third)).containsExactly(ids.get(4));
    assertThat(third.path("has_more").asBoolean()).isFalse();
    assertThat(ids(back)).containsExactlyElementsOf(ids.subList(0, 2));
    assertThat(ids(manual)).containsExactly(ids.get(1), ids.get(3));
    assertThat(get("/v1/payments?limit=101", listKey).statusCode()).isEqualTo(400);
    long now = System.currentTimeMillis() / 1000;
    assertThat(
            json.readTree(get("/v1/payments?created[gt]=" + (now + 3600), listKey).body())
                .path("data")
                .size())
        .isZero();
  }

  @Test
  @Order(10)
  void idempotencyKey_replaysTheFirstResponse_andRefusesOtherParameters() throws Exception {
    String idempotencyKey = UUID.randomUUID().toString();

    HttpResponse<String> first = pay(card(VISA), "automatic", 4100, "usd", idempotencyKey);
    HttpResponse<String> again = pay(card(VISA), "automatic", 4100, "usd", idempotencyKey);
    HttpResponse<String> other = pay(card(VISA), "automatic", 4200, "usd", idempotencyKey);

    assertThat(again.statusCode()).isEqualTo(first.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(json.readTree(other.body()).path("error").path("type").asString())
        .isEqualTo("idempotency_error");
  }

  @Test
  @Order(11)
  void hundredConcurrentIdenticalRequests_makeOnePayment_andOneAuthorizationAtTheBank()
      throws Exception {
    JsonNode fresh = createMerchant("Concurrent");
    String concurrentKey = fresh.path("api_key").path("secret").asString();
    String idempotencyKey = UUID.randomUUID().toString();
    long authorizationsBefore = bankStats().path("authorizations_approved").asLong();

    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(
            clients.submit(
                () -> payAs(concurrentKey, card(VISA), "automatic", 3300, "usd", idempotencyKey)));
      }
      for (Future<HttpResponse<String>> future : futures) {
        statuses.add(future.get().statusCode());
      }
    }

    assertThat(statuses).containsOnly(200, 409).contains(200);
    assertThat(
            sqlLong(
                "SELECT count(*) FROM payments WHERE merchant_id = '"
                    + fresh.path("id").asString()
                    + "'"))
        .isEqualTo(1);
    assertThat(bankStats().path("authorizations_approved").asLong() - authorizationsBefore)
        .isEqualTo(1);
    HttpResponse<String> later =
        payAs(concurrentKey, card(VISA), "automatic", 3300, "usd", idempotencyKey);
    assertThat(later.statusCode()).isEqualTo(200);
    assertThat(later.headers().firstValue("Idempotent-Replayed")).contains("true");
  }

  @Test
  @Order(12)
  void cardToken_paysAgain_butOnlyForTheMerchantItBelongsTo() throws Exception {
    JsonNode first = json.readTree(pay(card(VISA), "automatic", 600, "usd", null).body());
    String token = first.path("card").path("token").asString();
    String otherKey = createMerchant("Thief").path("api_key").path("secret").asString();

    HttpResponse<String> again =
        post(
            "/v1/payments",
            key,
            "{\"amount\":650,\"currency\":\"usd\",\"card_token\":\"" + token + "\"}",
            null);
    HttpResponse<String> stolen =
        post(
            "/v1/payments",
            otherKey,
            "{\"amount\":650,\"currency\":\"usd\",\"card_token\":\"" + token + "\"}",
            null);

    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json.readTree(again.body()).path("card").path("fingerprint").asString())
        .isEqualTo(first.path("card").path("fingerprint").asString());
    assertThat(stolen.statusCode()).isEqualTo(400);
    assertThat(json.readTree(stolen.body()).path("error").path("param").asString())
        .isEqualTo("card_token");
  }

  @Test
  @Order(13)
  void zeroDecimalCurrency_takesItsAmountAsWholeYen() throws Exception {
    HttpResponse<String> response = pay(card(VISA), "automatic", 500, "jpy", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json.readTree(response.body()).path("amount").asLong()).isEqualTo(500);
    assertThat(json.readTree(response.body()).path("currency").asString()).isEqualTo("jpy");
  }

  @Test
  @Order(14)
  void revokedKey_isRefusedAtOnce() throws Exception {
    JsonNode created = createMerchant("Revoker");
    String merchantId = created.path("id").asString();
    String secret = created.path("api_key").path("secret").asString();
    String keyId = created.path("api_key").path("id").asString();
    assertThat(get("/v1/payments", secret).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked =
        post(
            "/admin/v1/merchants/" + merchantId + "/api_keys/" + keyId + "/revoke",
            null,
            "",
            null,
            stack.adminToken());

    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(get("/v1/payments", secret).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(15)
  void partialRefunds_thenTheRest_refundThePaymentInFull() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "automatic", 5000, "usd", null).body()).path("id").asString();

    HttpResponse<String> first =
        post("/v1/refunds", key, "{\"payment\":\"" + id + "\",\"amount\":1500}", null);
    HttpResponse<String> rest =
        post(
            "/v1/refunds",
            key,
            "{\"payment\":\"" + id + "\",\"reason\":\"requested_by_customer\"}",
            null);
    HttpResponse<String> more =
        post("/v1/refunds", key, "{\"payment\":\"" + id + "\",\"amount\":1}", null);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json.readTree(first.body()).path("status").asString()).isEqualTo("succeeded");
    assertThat(json.readTree(rest.body()).path("amount").asLong()).isEqualTo(3500);
    assertThat(more.statusCode()).isEqualTo(400);
    assertThat(json.readTree(more.body()).path("error").path("code").asString())
        .isEqualTo("charge_already_refunded");
    JsonNode payment = json.readTree(get("/v1/payments/" + id, key).body());
    assertThat(payment.path("amount_refunded").asLong()).isEqualTo(5000);
    assertThat(payment.path("refunded").asBoolean()).isTrue();
    JsonNode listed = json.readTree(get("/v1/refunds?payment=" + id, key).body());
    assertThat(ids(listed))
        .containsExactly(
            json.readTree(rest.body()).path("id").asString(),
            json.readTree(first.body()).path("id").asString());
  }

  @Test
  @Order(16)
  void fiftyConcurrentPartialRefunds_neverRefundMoreThanWasCaptured() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "automatic", 10_000, "eur", null).body())
            .path("id")
            .asString();
    long refundedBefore = bankStats().path("refunded").path("EUR").asLong();

    List<HttpResponse<String>> responses = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        futures.add(
            clients.submit(
                () ->
                    post("/v1/refunds", key, "{\"payment\":\"" + id + "\",\"amount\":300}", null)));
      }
      for (Future<HttpResponse<String>> future : futures) {
        responses.add(future.get());
      }
    }

    // 10,000 captured: 33 refunds of 300 fit (9,900), the other 17 are refused.
    long succeeded =
        responses.stream()
            .filter(r -> r.statusCode() == 200)
            .filter(r -> r.body().contains("\"succeeded\""))
            .count();
    assertThat(succeeded).isEqualTo(33);
    assertThat(responses.stream().filter(r -> r.statusCode() == 400).count()).isEqualTo(17);
    assertThat(bankStats().path("refunded").path("EUR").asLong() - refundedBefore).isEqualTo(9_900);
    assertThat(
            json.readTree(get("/v1/payments/" + id, key).body()).path("amount_refunded").asLong())
        .isEqualTo(9_900);
  }

  @Test
  @Order(17)
  void refundOfAnUncapturedPayment_isRefused() throws Exception {
    String id =
        json.readTree(pay(card(VISA), "manual", 700, "usd", null).body()).path("id").asString();

    HttpResponse<String> response = post("/v1/refunds", key, "{\"payment\":\"" + id + "\"}", null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json.readTree(response.body()).path("error").path("code").asString())
        .isEqualTo("payment_unexpected_state");
  }

  /** A merchant's webhook receiver on loopback: answers with {@code behaviour}, keeps requests. */
  static final class Receiver implements AutoCloseable {
    record Received(String signature, String body) {}

    final com.sun.net.httpserver.HttpServer server;
    final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile java.util.function.IntUnaryOperator status = n -> 200;
    volatile long delayMillis;
    volatile String redirectTo;
    final java.util.concurrent.atomic.AtomicInteger answered =
        new java.util.concurrent.atomic.AtomicInteger();

    Receiver() throws Exception {
      server =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/hook",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n;
            synchronized (received) {
              received.add(
                  new Received(exchange.getRequestHeaders().getFirst("Payrail-Signature"), body));
              n = received.size();
            }
            try {
              Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            answered.incrementAndGet();
            if (redirectTo != null) {
              exchange.getResponseHeaders().add("Location", redirectTo);
              exchange.sendResponseHeaders(302, -1);
            } else {
              exchange.sendResponseHeaders(status.applyAsInt(n), -1);
            }
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> of(String paymentId) {
      synchronized (received) {
        return received.stream().filter(r -> r.body().contains(paymentId)).toList();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static JsonNode registerEndpoint(String apiKey, String url, String... events)
      throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/webhook_endpoints",
            apiKey,
            json.writeValueAsString(Map.of("url", url, "enabled_events", List.of(events))),
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json.readTree(response.body());
  }

  @Test
  @Order(20)
  void webhook_deliversTheSignedEvent_retriesNon2xx_andASlowEndpointDelaysNoOtherMerchant()
      throws Exception {
    JsonNode fast = createMerchant("Hooked");
    String fastKey = fast.path("api_key").path("secret").asString();
    JsonNode slow = createMerchant("Sluggish");
    String slowKey = slow.path("api_key").path("secret").asString();
    try (Receiver receiver = new Receiver();
        Receiver slowReceiver = new Receiver()) {
      // The first attempt answers 500: the second, a second later, is delivered.
      receiver.status = n -> n == 1 ? 500 : 200;
      slowReceiver.delayMillis = 9_000;
      JsonNode endpoint = registerEndpoint(fastKey, receiver.url(), "payment.succeeded");
      String secret = endpoint.path("secret").asString();
      registerEndpoint(slowKey, slowReceiver.url(), "payment.succeeded");

      String slowPayment =
          json.readTree(payAs(slowKey, card(VISA), "automatic", 100, "usd", null).body())
              .path("id")
              .asString();
      await(() -> slowReceiver.of(slowPayment).size(), n -> n >= 1);
      String payment =
          json.readTree(payAs(fastKey, card(VISA), "automatic", 2500, "usd", null).body())
              .path("id")
              .asString();

      List<Receiver.Received> got = await(() -> receiver.of(payment), r -> r.size() >= 2);
      Receiver.Received delivered = got.get(1);
      assertThat(
              io.payrail.platform.webhook.WebhookSignature.verify(
                  delivered.signature(),
                  delivered.body(),
                  secret,
                  java.time.Duration.ofMinutes(5),
                  java.time.Instant.now()))
          .isTrue();
      assertThat(json.readTree(delivered.body()).path("type").asString())
          .isEqualTo("payment.succeeded");
      // The other merchant's endpoint still holds its request while this one is done.
      assertThat(slowReceiver.answered).hasValue(0);
      assertThat(
              sqlLong(
                  "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id ="
                      + " a.delivery_id WHERE d.merchant_id = '"
                      + fast.path("id").asString()
                      + "' AND a.status_code = 500"))
          .isEqualTo(1);

      // The merchant sees both attempts, and can ask for the event again.
      JsonNode deliveries =
          json.readTree(
              get(
                      "/v1/webhook_endpoints/" + endpoint.path("id").asString() + "/deliveries",
                      fastKey)
                  .body());
      JsonNode delivery = deliveries.path("data").get(0);
      assertThat(delivery.path("status").asString()).isEqualTo("delivered");
      assertThat(delivery.path("attempts").findValuesAsString("status_code"))
          .containsExactly("500", "200");
      HttpResponse<String> redelivered =
          post(
              "/v1/webhook_deliveries/" + delivery.path("id").asString() + "/redeliver",
              fastKey,
              "",
              null);
      assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(202);
      await(() -> receiver.of(payment).size(), n -> n >= 3);
    }
  }

  @Test
  @Order(21)
  void webhook_redirectsAreNotFollowed() throws Exception {
    JsonNode merchant = createMerchant("Redirected");
    String merchantKey = merchant.path("api_key").path("secret").asString();
    try (Receiver target = new Receiver();
        Receiver redirecting = new Receiver()) {
      redirecting.redirectTo = target.url();
      registerEndpoint(merchantKey, redirecting.url(), "payment.succeeded");

      String payment =
          json.readTree(payAs(merchantKey, card(VISA), "automatic", 300, "usd", null).body())
              .path("id")
              .asString();
      await(() -> redirecting.of(payment).size(), n -> n >= 2);

      assertThat(target.received).isEmpty();
      assertThat(
              sqlLong(
                  "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id ="
                      + " a.delivery_id WHERE d.merchant_id = '"
                      + merchant.path("id").asString()
                      + "' AND a.status_code = 302"))
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  @Order(22)
  void receipts_areEmailedToTheCustomer_onlyWhenTheMerchantOptsIn() throws Exception {
    JsonNode shop = createMerchant("Receipts Co");
    String shopKey = shop.path("api_key").path("secret").asString();
    HttpResponse<String> invalid =
        post("/v1/merchant", shopKey, "{\"email\":\"not an address\"}", null);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json.readTree(invalid.body()).path("error").path("param").asString())
        .isEqualTo("email");
    HttpResponse<String> optIn =
        post(
            "/v1/merchant",
            shopKey,
            "{\"email\":\"billing@receipts.test\",\"receipts\":{\"payments\":true,\"refunds\":true}}",
            null);
    assertThat(optIn.statusCode()).as(optIn.body()).isEqualTo(200);
    JsonNode settings = json.readTree(get("/v1/merchant", shopKey).body());
    assertThat(settings.path("email").asString()).isEqualTo("billing@receipts.test");
    assertThat(settings.path("receipts").path("payments").asBoolean()).isTrue();

    String payment =
        json.readTree(payAs(shopKey, card(VISA), "automatic", 2050, "eur", null).body())
            .path("id")
            .asString();
    var receipt = awaitEmail("ada@example.com", "Your receipt from Receipts Co");
    assertThat(receipt.replyTo()).isEqualTo("billing@receipts.test");
    assertThat(receipt.text())
        .contains("Amount paid     €20.50")
        .contains("Visa ending in 4242")
        .contains("Receipt number  " + payment);

    HttpResponse<String> refund =
        post("/v1/refunds", shopKey, "{\"payment\":\"" + payment + "\",\"amount\":500}", null);
    assertThat(refund.statusCode()).as(refund.body()).isEqualTo(200);
    var refundReceipt = awaitEmail("ada@example.com", "Your refund from Receipts Co");
    assertThat(refundReceipt.text())
        .contains("Amount refunded  €5.00")
        .contains("Refunded to      Visa ending in 4242")
        .contains("Original payment " + payment);

    assertThat(
            sqlLong(
                "SELECT count(*) FROM notifications WHERE status = 'sent' AND merchant_id = '"
                    + shop.path("id").asString()
                    + "'"))
        .isEqualTo(2);
    // The first merchant never opted in: its customers got nothing, for all its payments.
    assertThat(sqlLong("SELECT count(*) FROM notifications WHERE merchant_id = '" + merchant + "'"))
        .isZero();
  }

  @Test
  @Order(23)
  void anEndpointFailingForDays_isDisabled_andTheMerchantAndOperatorsAreTold() throws Exception {
    JsonNode dark = createMerchant("Gone Dark");
    String darkKey = dark.path("api_key").path("secret").asString();
    post("/v1/merchant", darkKey, "{\"email\":\"dev@gone-dark.test\"}", null);
    try (Receiver receiver = new Receiver()) {
      receiver.status = n -> 500;
      JsonNode endpoint = registerEndpoint(darkKey, receiver.url(), "payment.succeeded");
      String endpointId = endpoint.path("id").asString();

      payAs(darkKey, card(VISA), "automatic", 700, "usd", null);

      var told = awaitEmail("dev@gone-dark.test", "Payrail disabled your webhook endpoint");
      assertThat(told.text()).contains(receiver.url()).contains(endpointId);
      var alert = awaitEmail("oncall@payrail.local", "[Payrail] Webhook endpoint " + endpointId);
      assertThat(alert.text()).contains("Merchant       Gone Dark");
      var notifications = stack.servers().notifications();
      await(
          () -> notifications.sms().stream().anyMatch(m -> m.body().contains(endpointId)),
          ok -> ok);
      await(
          () -> notifications.pushes().stream().anyMatch(m -> m.body().contains(receiver.url())),
          ok -> ok);
      assertThat(
              json.readTree(get("/v1/webhook_endpoints/" + endpointId, darkKey).body())
                  .path("status")
                  .asString())
          .isEqualTo("disabled");
    }
  }

  /** The first email to {@code to} whose subject starts so; every email joins the PAN scan. */
  private static io.payrail.notifysim.Received.Email awaitEmail(String to, String subject)
      throws Exception {
    var email =
        await(
                () ->
                    stack.servers().notifications().emails().stream()
                        .filter(e -> e.to().contains(to) && e.subject().startsWith(subject))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    responses.add(email.subject() + "\n" + email.text());
    return email;
  }

  @Test
  @Order(100)
  void everyTransition_isPublishedOnce_withAStableIdAndTheDocumentedShape() throws Exception {
    long unpublished =
        await(() -> sqlLong("SELECT count(*) FROM events WHERE published_at IS NULL"), n -> n == 0);
    // Counted once all are published; a payment still moving (an expiry, a late refund) may add
    // events after this count, so Kafka holds at least these.
    long stored = sqlLong("SELECT count(*) FROM events WHERE topic = 'payrail.payment-events'");
    List<ConsumerRecord<String, String>> records = allPaymentEvents();

    Set<String> eventIds = new HashSet<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode event = json.readTree(record.value());
      eventIds.add(event.path("id").asString());
      assertThat(event.path("object").asString()).isEqualTo("event");
      assertThat(event.path("type").asString()).startsWith("payment.");
      assertThat(event.path("api_version").asString()).isNotBlank();
      assertThat(event.path("created").asLong()).isPositive();
      assertThat(event.path("data").path("object").path("id").asString()).isEqualTo(record.key());
    }
    // Each one once: as many distinct ids as records, and every stored one among them.
    assertThat(eventIds).hasSize(records.size());
    assertThat(eventIds.size()).isGreaterThanOrEqualTo((int) stored);
    assertThat(unpublished).isZero();
  }

  @Test
  @Order(101)
  void ledger_everyEntryBalances_andEveryBalanceIsTheSumOfItsLines() throws Exception {
    assertThat(
            sqlLong(
                """
                SELECT count(*) FROM (
                  SELECT l.entry_id FROM journal_lines l GROUP BY l.entry_id HAVING sum(amount) <> 0
                ) unbalanced
                """))
        .isZero();
    assertThat(
            sqlLong(
                """
                SELECT count(*) FROM ledger_accounts a
                WHERE a.balance <> coalesce(
                  (SELECT sum(amount) FROM journal_lines l WHERE l.account_id = a.id), 0)
                """))
        .isZero();
    assertThat(sqlLong("SELECT count(*) FROM journal_entries")).isPositive();
    // Every authorization is either captured or released: nothing stays held for a final payment.
    assertThat(
            sqlLong(
                """
                SELECT count(*) FROM ledger_accounts a
                WHERE a.code = 'merchant_authorized' AND a.balance <> coalesce((
                  SELECT -sum(p.amount) FROM payments p
                  WHERE p.merchant_id = a.merchant_id AND p.currency = a.currency
                    AND p.status = 'requires_capture'), 0)
                """))
        .isZero();
  }

  @Test
  @Order(102)
  void noCardNumber_inAnyLogLine_row_event_orResponse() throws Exception {
    pay(card("4242424242424241"), "automatic", 100, "usd", null);
    post("/v1/payments", key, "{\"amount\":\"4000000000000077\",\"currency\":\"usd\"}", null);
    post(
        "/v1/payments",
        key,
        "{\"card\":{\"number\":\"5555555555554444\"},\"description\":\""
            + "x".repeat(100_000)
            + "\"}",
        null);
    CardNumberScan scan = new CardNumberScan(EVERY_TEST_CARD);
    try (Stream<Path> logs = Files.list(stack.home().resolve("logs"))) {
      for (Path log : logs.toList()) {
        scan.file(log);
      }
    }
    try (Connection db = db();
        Statement statement = db.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      for (String table : names) {
        try (Statement dump = db.createStatement();
            ResultSet rows = dump.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (rows.next()) {
            scan.text("row of " + table, rows.getString(1));
          }
        }
      }
    }
    for (ConsumerRecord<String, String> record : allPaymentEvents()) {
      scan.text("Kafka event", record.value());
    }
    synchronized (responses) {
      for (String body : responses) {
        scan.text("response body", body);
      }
    }
    // And every byte the servers wrote: PostgreSQL's pages and WAL, Kafka's segments, Temporal's
    // histories.
    try (Stream<Path> files = Files.walk(stack.home().resolve("data"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        scan.file(file);
      }
    }

    assertThat(scan.found).isEmpty();
    assertThat(scan.sawBin).as("the scan reads card data at all: BIN 424242 is stored").isTrue();
    assertThat(scan.bytesScanned).isGreaterThan(1_000_000);
  }

  /** Looks for whole card numbers; ISO-8859-1 keeps one char per byte, so ASCII is found. */
  static final class CardNumberScan {
    final List<String> numbers;
    final List<String> found = new ArrayList<>();
    boolean sawBin;
    long bytesScanned;

    CardNumberScan(List<String> numbers) {
      this.numbers = numbers;
    }

    void file(Path file) throws java.io.IOException {
      byte[] bytes;
      try {
        if (Files.size(file) > 512L * 1024 * 1024) {
          throw new AssertionError(file + " is too large to scan");
        }
        bytes = Files.readAllBytes(file);
      } catch (java.nio.file.NoSuchFileException e) {
        return; // a running server's temporary file (pg_internal.init, a rotated log), gone since
      }
      text(file.toString(), new String(bytes, StandardCharsets.ISO_8859_1));
    }

    void text(String where, String text) {
      bytesScanned += text.length();
      sawBin |= text.contains("424242");
      for (String number : numbers) {
        if (text.contains(number)) {
          found.add("..." + number.substring(12) + " in " + where);
        }
      }
    }
  }

  // --- helpers ---

  private static Map<String, Object> card(String number) {
    return Map.of(
        "number",
        number,
        "exp_month",
        12,
        "exp_year",
        2034,
        "cvc",
        "123",
        "holder_name",
        "Ada Lovelace");
  }

  private static HttpResponse<String> pay(
      Map<String, Object> card,
      String captureMethod,
      long amount,
      String currency,
      String idempotencyKey)
      throws Exception {
    return payAs(key, card, captureMethod, amount, currency, idempotencyKey);
  }

  private static HttpResponse<String> payAs(
      String apiKey,
      Map<String, Object> card,
      String captureMethod,
      long amount,
      String currency,
      String idempotencyKey)
      throws Exception {
    String body =
        json.writeValueAsString(
            Map.of(
                "amount", amount,
                "currency", currency,
                "card", card,
                "capture_method", captureMethod,
                "description", "Order 1234",
                "metadata", Map.of("order_id", "1234"),
                "customer_email", "ada@example.com"));
    return post("/v1/payments", apiKey, body, idempotencyKey);
  }

  private static JsonNode createMerchant(String name) throws Exception {
    HttpResponse<String> response =
        post("/admin/v1/merchants", null, "{\"name\":\"" + name + "\"}", null, stack.adminToken());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json.readTree(response.body());
  }

  private static HttpResponse<String> post(
      String path, String apiKey, String body, String idempotencyKey) throws Exception {
    return post(path, apiKey, body, idempotencyKey, null);
  }

  private static HttpResponse<String> post(
      String path, String apiKey, String body, String idempotencyKey, String adminToken)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(90))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + (adminToken != null ? adminToken : apiKey))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return record(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private static HttpResponse<String> get(String path, String apiKey) throws Exception {
    return record(
        http.send(
            HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private static HttpResponse<String> record(HttpResponse<String> response) {
    responses.add(response.body());
    return response;
  }

  private static JsonNode bankStats() throws Exception {
    return json.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(stack.servers().bank().baseUrl() + "/sim/stats"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(payment -> ids.add(payment.path("id").asString()));
    return ids;
  }

  private static String withoutRequestId(String body) throws Exception {
    JsonNode tree = json.readTree(body);
    ((tools.jackson.databind.node.ObjectNode) tree.path("error")).remove("request_id");
    return tree.toString();
  }

  private static Connection db() throws Exception {
    Map<String, String> spring = stack.servers().springProperties();
    return DriverManager.getConnection(
        spring.get("spring.datasource.url"),
        spring.get("spring.datasource.username"),
        spring.get("spring.datasource.password"));
  }

  private static long sqlLong(String sql) throws Exception {
    try (Connection db = db();
        Statement statement = db.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static List<ConsumerRecord<String, String>> allPaymentEvents() throws Exception {
    // The relay publishes shortly after each transition: wait until Kafka holds every stored one.
    long stored = sqlLong("SELECT count(*) FROM events WHERE topic = 'payrail.payment-events'");
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.servers().kafka().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "payments-it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of("payrail.payment-events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < stored && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }

  private static <T> T await(Callable<T> probe, java.util.function.Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    T value = probe.call();
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not done after 90 s: " + value);
      }
      Thread.sleep(250);
      value = probe.call();
    }
    return value;
  }
}
