package io.payrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.devservers.SharedDevServers;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.common.CorrelationIdPropagator;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The api application against real PostgreSQL, Kafka, Redis and Temporal dev servers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ApiIT {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghijklmnop";

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedDevServers.get()
        .springProperties()
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
    // A frozen Vault is given up on after this (the outage test).
    registry.add("payrail.vault.read-timeout", () -> "1s");
    // No worker runs here: a payment waits this long, then answers "processing".
    registry.add("payrail.payments.authorization-wait", () -> "3s");
  }

  @LocalServerPort int port;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  @Autowired JsonMapper json;
  @Autowired CardVault cards;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void health_reportsEachDependencyUp() throws Exception {
    JsonNode health = json.readTree(get("/actuator/health", null).body());

    assertThat(health.path("status").asString()).isEqualTo("UP");
    for (String component : new String[] {"db", "redis", "kafka", "temporal"}) {
      assertThat(health.path("components").path(component).path("status").asString())
          .as(component)
          .isEqualTo("UP");
    }
  }

  @Test
  void prometheus_exposesJvmHttpAndTemporalMetrics() throws Exception {
    get("/actuator/health", null);

    String metrics = get("/actuator/prometheus", null).body();

    assertThat(metrics)
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds")
        .contains("temporal_request");
  }

  @Test
  void adminCreatesMerchant_whoseKeyAuthenticatesAsThatMerchantOnly() throws Exception {
    JsonNode first = createMerchant("Acme Books");
    JsonNode second = createMerchant("Globex");
    String firstKey = first.path("api_key").path("secret").asString();

    assertThat(first.path("id").asString()).startsWith("mer_");
    assertThat(firstKey).startsWith("sk_test_");
    assertThat(first.path("api_key").path("prefix").asString())
        .isEqualTo(firstKey.substring(0, 12));

    HttpResponse<String> me = get("/v1/merchant", "Bearer " + firstKey);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json.readTree(me.body()).path("id").asString())
        .isEqualTo(first.path("id").asString())
        .isNotEqualTo(second.path("id").asString());
  }

  @Test
  void noOrWrongKey_is401WithErrorObject() throws Exception {
    for (String credential :
        new String[] {null, "Bearer sk_test_" + "x".repeat(40), "Bearer nonsense", ADMIN_TOKEN}) {
      HttpResponse<String> response = get("/v1/merchant", credential);

      assertThat(response.statusCode()).as(String.valueOf(credential)).isEqualTo(401);
      JsonNode error = json.readTree(response.body()).path("error");
      assertThat(error.path("type").asString()).isEqualTo("authentication_error");
      assertThat(error.path("request_id").asString()).startsWith("req_");
    }
  }

  @Test
  void merchantKey_cannotCallAdmin() throws Exception {
    String key = createMerchant("Initech").path("api_key").path("secret").asString();

    HttpResponse<String> response =
        post("/admin/v1/merchants", "Bearer " + key, "{\"name\":\"Mallory\"}", "application/json");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json.readTree(response.body()).path("error").path("type").asString())
        .isEqualTo("permission_error");
  }

  @Test
  void badInput_is4xxNamingTheField() throws Exception {
    String admin = "Bearer " + ADMIN_TOKEN;

    HttpResponse<String> blank =
        post("/admin/v1/merchants", admin, "{\"name\":\" \"}", "application/json");
    HttpResponse<String> tooLong =
        post(
            "/admin/v1/merchants",
            admin,
            "{\"name\":\"" + "n".repeat(201) + "\"}",
            "application/json");
    HttpResponse<String> broken =
        post("/admin/v1/merchants", admin, "{\"name\":", "application/json");
    HttpResponse<String> wrongType = post("/admin/v1/merchants", admin, "name=x", "text/plain");

    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(json.readTree(blank.body()).path("error").path("param").asString())
        .isEqualTo("name");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(json.readTree(tooLong.body()).path("error").path("param").asString())
        .isEqualTo("name");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).doesNotContain("Exception").doesNotContain("at io.");
    assertThat(wrongType.statusCode()).isEqualTo(415);
  }

  @Test
  void requestId_echoedWhenSafe_replacedWhenNot() throws Exception {
    HttpResponse<String> safe =
        send(base("/actuator/health").header("X-Request-Id", "abc-123").GET());
    HttpResponse<String> unsafe =
        send(base("/actuator/health").header("X-Request-Id", "evil\"{}" + "x".repeat(80)).GET());

    assertThat(safe.headers().firstValue("X-Request-Id")).contains("abc-123");
    assertThat(unsafe.headers().firstValue("X-Request-Id").orElseThrow()).startsWith("req_");
  }

  @Test
  void logs_areJsonLinesCarryingTheRequestsCorrelationId(CapturedOutput output) throws Exception {
    send(base("/v1/merchant").header("X-Request-Id", "trace-me-42").GET());

    // The line is written once the response has gone out, so it may trail the response a little.
    String line = awaitLine(output, "trace-me-42");
    JsonNode logged = json.readTree(line);
    assertThat(logged.path("correlationId").asString()).isEqualTo("trace-me-42");
    assertThat(logged.path("message").asString()).contains("GET /v1/merchant -> 401");
    assertThat(logged.path("service").path("name").asString()).isEqualTo("payrail-api");
  }

  @Test
  void temporalClient_carriesTheCorrelationIdInItsHeaders(@Autowired WorkflowClient temporal) {
    assertThat(temporal.getOptions().getContextPropagators())
        .hasAtLeastOneElementOfType(CorrelationIdPropagator.class);
  }

  @Test
  void healthDetails_areForAdminsOnly() throws Exception {
    String key = createMerchant("Curious").path("api_key").path("secret").asString();

    JsonNode asMerchant = json.readTree(get("/actuator/health", "Bearer " + key).body());
    JsonNode asAdmin = json.readTree(get("/actuator/health", "Bearer " + ADMIN_TOKEN).body());

    assertThat(asMerchant.path("components").path("temporal").has("details")).isFalse();
    assertThat(
            asAdmin
                .path("components")
                .path("temporal")
                .path("details")
                .path("namespace")
                .asString())
        .isEqualTo("payrail");
  }

  @Test
  void openApiDocument_andSwaggerUi_areServed() throws Exception {
    JsonNode document = json.readTree(get("/v3/api-docs", null).body());

    assertThat(document.path("openapi").asString()).startsWith("3.");
    assertThat(document.path("paths").has("/v1/merchant")).isTrue();
    for (String path :
        new String[] {
          "/v1/payments",
          "/v1/payments/{id}",
          "/v1/payments/{id}/capture",
          "/v1/payments/{id}/cancel"
        }) {
      assertThat(document.path("paths").has(path)).as(path).isTrue();
    }
    assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
  }

  @Test
  void paymentBadInput_is4xxWithOneErrorObjectNamingTheField_andNeverAStackTrace()
      throws Exception {
    String key = "Bearer " + createMerchant("Fuzzy").path("api_key").path("secret").asString();
    String card =
        "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2034,"
            + "\"cvc\":\"123\"}";
    Map<String, String[]> cases = new java.util.LinkedHashMap<>();
    // body -> {status, code, param}
    cases.put("{\"amount\":", new String[] {"400", "body_invalid", null});
    cases.put("[1,2]", new String[] {"400", "body_invalid", null});
    cases.put(
        "{\"amount\":\"ten\",\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":10.5,\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":99999999999999999999999,\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":100000000000,\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":0,\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":-5,\"currency\":\"usd\"," + card + "}",
        new String[] {"400", "parameter_invalid", "amount"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usx\"," + card + "}",
        new String[] {"400", "currency_invalid", "currency"});
    cases.put(
        "{\"amount\":500,\"currency\":\"XAU\"," + card + "}",
        new String[] {"400", "currency_invalid", "currency"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"colour\":\"red\"," + card + "}",
        new String[] {"400", "parameter_unknown", "colour"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"card\":{\"number\":\"4242424242424241\","
            + "\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}",
        new String[] {"400", "incorrect_number", "card.number"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"description\":\"a\\u0000b\"," + card + "}",
        new String[] {"400", "parameter_invalid", "description"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"statement_descriptor\":\"ABC\"," + card + "}",
        new String[] {"400", "parameter_invalid", "statement_descriptor"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\"}", new String[] {"400", "parameter_missing", "card"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"capture_method\":\"later\"," + card + "}",
        new String[] {"400", "parameter_invalid", "capture_method"});
    cases.put(
        "{\"amount\":500,\"currency\":\"usd\",\"metadata\":{\"k\":\""
            + "v".repeat(501)
            + "\"},"
            + card
            + "}",
        new String[] {"400", "parameter_invalid", null});

    for (var entry : cases.entrySet()) {
      HttpResponse<String> response = post("/v1/payments", key, entry.getKey(), "application/json");
      String[] expected = entry.getValue();
      String what = entry.getKey().substring(0, Math.min(60, entry.getKey().length()));
      JsonNode error = json.readTree(response.body()).path("error");
      assertThat(response.statusCode())
          .as(what + " " + response.body())
          .isEqualTo(Integer.parseInt(expected[0]));
      assertThat(error.path("code").asString()).as(what).isEqualTo(expected[1]);
      if (expected[2] != null) {
        assertThat(error.path("param").asString()).as(what).isEqualTo(expected[2]);
      }
      assertThat(error.path("request_id").asString()).as(what).startsWith("req_");
      assertThat(response.body())
          .as(what)
          .doesNotContain("Exception")
          .doesNotContain("4242424242424241");
    }
  }

  @Test
  void paymentBadTransport_wrongTypeOversizedOrNoKey_is4xxWithTheErrorObject() throws Exception {
    String key = "Bearer " + createMerchant("Transport").path("api_key").path("secret").asString();
    String huge = "{\"description\":\"" + "x".repeat(200_000) + "\"}";

    HttpResponse<String> wrongType =
        post("/v1/payments", key, "amount=5", "application/x-www-form-urlencoded");
    HttpResponse<String> oversized = post("/v1/payments", key, huge, "application/json");
    HttpResponse<String> chunked =
        send(
            base("/v1/payments")
                .header("Authorization", key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes()))));
    HttpResponse<String> noKey = post("/v1/payments", null, "{}", "application/json");

    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(json.readTree(oversized.body()).path("error").path("code").asString())
        .isEqualTo("body_too_large");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(get("/v1/merchant", key).statusCode()).as("still serving").isEqualTo(200);
  }

  @Test
  void idempotencyKey_withOtherParameters_isAnIdempotencyError_andWhileRunningA409()
      throws Exception {
    String key = "Bearer " + createMerchant("Idem").path("api_key").path("secret").asString();
    String idem = java.util.UUID.randomUUID().toString();
    String body =
        "{\"amount\":500,\"currency\":\"usd\",\"card\":{\"number\":\"4242424242424242\","
            + "\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}";
    // No worker runs in this test: the first request holds its key while it waits for one.
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return send(idempotent(key, idem, body));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // The first request claims the key within milliseconds and then waits 3 s for a worker.
    Thread.sleep(1000);
    HttpResponse<String> concurrent = send(idempotent(key, idem, body));
    HttpResponse<String> different = send(idempotent(key, idem, body.replace("500", "501")));

    assertThat(concurrent.statusCode()).isEqualTo(409);
    assertThat(concurrent.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json.readTree(concurrent.body()).path("error").path("type").asString())
        .isEqualTo("idempotency_error");
    assertThat(different.statusCode()).isEqualTo(400);
    assertThat(json.readTree(different.body()).path("error").path("code").asString())
        .isEqualTo("idempotency_key_reused");
    HttpResponse<String> answered = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
    Long retainedHours =
        jdbc.sql(
                "SELECT extract(epoch FROM expires_at - created_at)::bigint / 3600"
                    + " FROM idempotency_keys WHERE key = ?")
            .param(idem)
            .query(Long.class)
            .single();
    assertThat(retainedHours).as("replayed for at least 24 hours").isGreaterThanOrEqualTo(24);
    HttpResponse<String> replayed = send(idempotent(key, idem, body));
    // No worker: the payment is still processing, answered 202, and that interim answer is not
    // what the key replays: a retry does the work again under the same payment id.
    assertThat(answered.statusCode()).isEqualTo(202);
    assertThat(json.readTree(answered.body()).path("status").asString()).isEqualTo("processing");
    assertThat(replayed.statusCode()).isEqualTo(202);
    assertThat(json.readTree(replayed.body()).path("id").asString())
        .isEqualTo(json.readTree(answered.body()).path("id").asString());
    assertThat(replayed.headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void listFilters_outOfRange_are400NamingTheParameter() throws Exception {
    String key = "Bearer " + createMerchant("Filters").path("api_key").path("secret").asString();

    HttpResponse<String> negative = get("/v1/payments?created%5Bgt%5D=-1", key);
    HttpResponse<String> huge = get("/v1/payments?created%5Blte%5D=99999999999999", key);
    HttpResponse<String> bothCursors =
        get("/v1/payments?starting_after=pay_a&ending_before=pay_b", key);

    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(json.readTree(negative.body()).path("error").path("param").asString())
        .isEqualTo("created[gt]");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(bothCursors.statusCode()).isEqualTo(400);
  }

  @Test
  void adminKeys_newKeyShownOnce_listShowsPrefixesOnly_revokedKeyIsRefused() throws Exception {
    JsonNode merchant = createMerchant("Rotator");
    String merchantId = merchant.path("id").asString();
    String admin = "Bearer " + ADMIN_TOKEN;

    HttpResponse<String> created =
        post("/admin/v1/merchants/" + merchantId + "/api_keys", admin, "", "application/json");
    JsonNode newKey = json.readTree(created.body());
    HttpResponse<String> listed = get("/admin/v1/merchants/" + merchantId + "/api_keys", admin);
    HttpResponse<String> revoked =
        post(
            "/admin/v1/merchants/"
                + merchantId
                + "/api_keys/"
                + newKey.path("id").asString()
                + "/revoke",
            admin,
            "",
            "application/json");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(newKey.path("secret").asString()).startsWith("sk_test_");
    assertThat(listed.body()).doesNotContain(newKey.path("secret").asString());
    assertThat(json.readTree(listed.body()).path("data").size()).isEqualTo(2);
    assertThat(json.readTree(listed.body()).path("data").get(1).path("prefix").asString())
        .isEqualTo(newKey.path("secret").asString().substring(0, 12));
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(get("/v1/merchant", "Bearer " + newKey.path("secret").asString()).statusCode())
        .isEqualTo(401);
    assertThat(
            get("/v1/merchant", "Bearer " + merchant.path("api_key").path("secret").asString())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void webhookEndpoint_onLoopbackOrPlainHttp_isRefused_withoutTheLocalSetting() throws Exception {
    String key = "Bearer " + createMerchant("Hooks").path("api_key").path("secret").asString();

    for (String url :
        new String[] {
          "https://127.0.0.1/hook",
          "https://10.0.0.8/hook",
          "https://169.254.169.254/latest/meta-data",
          "https://[::1]/hook",
          "http://example.com/hook",
          "https://user:pw@example.com/hook",
          "not a url"
        }) {
      HttpResponse<String> response =
          post(
              "/v1/webhook_endpoints",
              key,
              "{\"url\":\"" + url + "\",\"enabled_events\":[\"payment.succeeded\"]}",
              "application/json");
      assertThat(response.statusCode()).as(url).isEqualTo(400);
      assertThat(json.readTree(response.body()).path("error").path("param").asString())
          .as(url)
          .isEqualTo("url");
    }
  }

  @Test
  void vaultUnreachable_paymentAndWebhookEndpoint_are503WithRetryAfter_thenSucceed()
      throws Exception {
    String key = "Bearer " + createMerchant("Vaultless").path("api_key").path("secret").asString();
    String idem = java.util.UUID.randomUUID().toString();
    String payment =
        "{\"amount\":700,\"currency\":\"usd\",\"card\":{\"number\":\"4000056655665556\","
            + "\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}";
    String endpoint =
        "{\"url\":\"https://93.184.215.14/hook\",\"enabled_events\":[\"payment.succeeded\"]}";
    OpenBaoDevServer vault = SharedDevServers.get().vault();

    vault.pause();
    try {
      for (HttpResponse<String> refused :
          List.of(
              send(idempotent(key, idem, payment)),
              post("/v1/webhook_endpoints", key, endpoint, "application/json"))) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json.readTree(refused.body()).path("error").path("code").asString())
            .isEqualTo("service_unavailable");
        assertThat(refused.body()).doesNotContain("4000056655665556").doesNotContain("Exception");
      }
    } finally {
      vault.resume();
    }

    HttpResponse<String> paid = send(idempotent(key, idem, payment));
    assertThat(paid.statusCode()).as(paid.body()).isBetween(200, 202);
    assertThat(json.readTree(paid.body()).path("card").path("last4").asString()).isEqualTo("5556");
    assertThat(post("/v1/webhook_endpoints", key, endpoint, "application/json").statusCode())
        .isEqualTo(201);
  }

  @Test
  void keyRotation_adminOnly_rewrapsEveryStoredCard_whichStillOpens() throws Exception {
    String key = "Bearer " + createMerchant("Rotor").path("api_key").path("secret").asString();
    HttpResponse<String> paid =
        send(
            idempotent(
                key,
                java.util.UUID.randomUUID().toString(),
                "{\"amount\":900,\"currency\":\"usd\",\"card\":{\"number\":\"4242424242424242\","
                    + "\"exp_month\":12,\"exp_year\":2034,\"cvc\":\"123\"}}"));
    assertThat(paid.statusCode()).as(paid.body()).isBetween(200, 202);
    String token =
        jdbc.sql("SELECT card_token FROM payments WHERE id = ?")
            .param(json.readTree(paid.body()).path("id").asString())
            .query(String.class)
            .single();

    assertThat(post("/admin/v1/keys/rotate", key, "", "application/json").statusCode())
        .isEqualTo(403);
    HttpResponse<String> rotated =
        post("/admin/v1/keys/rotate", "Bearer " + ADMIN_TOKEN, "", "application/json");
    HttpResponse<String> retired =
        post("/admin/v1/keys/retire", "Bearer " + ADMIN_TOKEN, "", "application/json");

    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
    assertThat(json.readTree(rotated.body()).path("rewrapped").asInt()).isPositive();
    for (JsonNode state : json.readTree(retired.body()).path("keys")) {
      assertThat(state.path("latest_version").asInt()).as(state.toString()).isGreaterThan(1);
      assertThat(state.path("min_decryption_version").asInt())
          .as(state.toString())
          .isEqualTo(state.path("latest_version").asInt());
    }
    assertThat(cards.reveal(token).number()).isEqualTo("4242424242424242");
  }

  private HttpRequest.Builder idempotent(String key, String idempotencyKey, String body) {
    return base("/v1/payments")
        .header("Authorization", key)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String awaitLine(CapturedOutput output, String text) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var line = output.getOut().lines().filter(l -> l.contains(text)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no log line containing " + text);
  }

  private JsonNode createMerchant(String name) throws Exception {
    HttpResponse<String> response =
        post(
            "/admin/v1/merchants",
            "Bearer " + ADMIN_TOKEN,
            json.writeValueAsString(Map.of("name", name)),
            "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json.readTree(response.body());
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request = base(path).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  private HttpResponse<String> post(String path, String authorization, String body, String type)
      throws Exception {
    HttpRequest.Builder request =
        base(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  private HttpRequest.Builder base(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
