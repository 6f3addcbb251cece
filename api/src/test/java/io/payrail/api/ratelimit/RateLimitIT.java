package io.payrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.payrail.api.PayrailApiApplication;
import io.payrail.devservers.DevServers;
import io.payrail.devservers.SharedDevServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two api instances (two Spring contexts on their own ports) sharing one real Redis and one
 * PostgreSQL, as two pods behind a load balancer: a merchant's limit holds across both, an admin's
 * change applies without a restart, and while Redis is stopped merchants are counted per instance
 * and admin writes are refused, until Redis is back.
 */
class RateLimitIT {

  private static final String ADMIN_TOKEN = "rate-limit-it-admin-" + java.util.UUID.randomUUID();

  /** Small, and refilled so slowly (one token per 12 minutes) that no test sees a refill. */
  private static final int CAPACITY = 5;

  private static final int ADMIN_CAPACITY = 1000;
  private static final int STAFF_CAPACITY = 900;

  private static final Duration BACKOFF = Duration.ofSeconds(2);

  private static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void startTwoInstances() {
    DevServers servers = SharedDevServers.get();
    Map<String, String> properties = new LinkedHashMap<>(servers.springProperties());
    properties.put("server.port", "0");
    properties.put("payrail.admin.token", ADMIN_TOKEN);
    for (String merchantClass : List.of("merchant-writes", "merchant-reads")) {
      properties.put("payrail.rate-limits.classes." + merchantClass + ".capacity", "" + CAPACITY);
      properties.put("payrail.rate-limits.classes." + merchantClass + ".period", "1h");
    }
    // This test's admin calls are many; their own limit is not what it checks.
    properties.put("payrail.rate-limits.classes.admin.capacity", "" + ADMIN_CAPACITY);
    properties.put("payrail.rate-limits.classes.staff.capacity", "" + STAFF_CAPACITY);
    properties.put("payrail.rate-limits.redis-backoff", BACKOFF.toString());
    // Overrides read on every request: the change is seen by the other instance at once.
    properties.put("payrail.rate-limits.overrides-cache-ttl", "0s");
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    first = new SpringApplicationBuilder(PayrailApiApplication.class).run(args);
    second = new SpringApplicationBuilder(PayrailApiApplication.class).run(args);
  }

  @AfterAll
  static void stopInstances() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  void merchantLimit_holdsAcrossTwoInstancesSharingRedis() throws Exception {
    String key = createMerchantKey("Shared Buckets");

    List<HttpResponse<String>> answers = alternately(12, "/v1/merchant", key);

    assertThat(answers.stream().map(HttpResponse::statusCode))
        .containsExactly(200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429);
    // One bucket: each instance sees what the other took.
    assertThat(answers.subList(0, CAPACITY).stream().map(r -> header(r, "RateLimit-Remaining")))
        .containsExactly(4L, 3L, 2L, 1L, 0L);
    for (HttpResponse<String> refused : answers.subList(CAPACITY, answers.size())) {
      assertThat(header(refused, "Retry-After")).isPositive();
      assertThat(header(refused, "RateLimit-Limit")).isEqualTo(CAPACITY);
      assertThat(header(refused, "RateLimit-Remaining")).isZero();
      assertThat(header(refused, "RateLimit-Reset")).isGreaterThanOrEqualTo(1);
      JsonNode error = json.readTree(refused.body()).path("error");
      assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
      assertThat(error.path("code").asString()).isEqualTo("rate_limited");
      assertThat(error.path("request_id").asString()).isNotBlank();
    }
    // Writes have a bucket of their own: a polling loop does not block payments.
    HttpResponse<String> write = send(first, "/v1/merchant", key, "POST", "{}");
    assertThat(write.statusCode()).isEqualTo(200);
    assertThat(header(write, "RateLimit-Remaining")).isEqualTo(CAPACITY - 1);
  }

  @Test
  void merchantOverride_takesEffectOnBothInstancesWithoutRestart() throws Exception {
    String merchantId = createMerchant("Raised Limits").path("id").asString();
    String key = apiKey(merchantId);
    assertThat(alternately(CAPACITY + 1, "/v1/merchant", key).getLast().statusCode())
        .isEqualTo(429);

    HttpResponse<String> raised =
        send(
            first,
            "/admin/v1/merchants/" + merchantId + "/rate_limits",
            ADMIN_TOKEN,
            "POST",
            "{\"merchant_reads\":{\"capacity\":8,\"period_seconds\":3600}}");

    assertThat(raised.statusCode()).isEqualTo(200);
    JsonNode limits = json.readTree(raised.body());
    assertThat(limits.path("merchant_reads").path("capacity").asLong()).isEqualTo(8);
    assertThat(limits.path("merchant_reads").path("source").asString()).isEqualTo("override");
    assertThat(limits.path("merchant_writes").path("source").asString()).isEqualTo("default");
    // The raised limit's three extra tokens, on either instance, then 429 again.
    List<HttpResponse<String>> answers = alternately(5, "/v1/merchant", key);
    assertThat(answers.stream().map(HttpResponse::statusCode))
        .containsExactly(200, 200, 200, 429, 429);
    assertThat(answers.stream().map(r -> header(r, "RateLimit-Limit"))).containsOnly(8L);
    HttpResponse<String> read =
        send(
            second, "/admin/v1/merchants/" + merchantId + "/rate_limits", ADMIN_TOKEN, "GET", null);
    assertThat(json.readTree(read.body()).path("merchant_reads").path("capacity").asLong())
        .isEqualTo(8);
    // One audit record of the change, by the admin, with what it was and what it became.
    List<String> audited =
        first
            .getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
            .sql(
                "SELECT actor_role || ' ' || changes FROM audit_log"
                    + " WHERE action = 'rate_limits.updated' AND target_id = ?")
            .param(merchantId)
            .query(String.class)
            .list();
    assertThat(audited)
        .containsExactly(
            "admin {\"after\":{\"merchant_reads\":{\"capacity\":8,\"period_seconds\":3600}},"
                + "\"before\":{}}");
  }

  @Test
  void staffCalls_areCountedInTheStaffBucket_adminWritesInTheAdminBucket() throws Exception {
    String merchantId = createMerchant("Watched").path("id").asString();

    HttpResponse<String> read =
        send(second, "/admin/v1/merchants/" + merchantId + "/api_keys", ADMIN_TOKEN, "GET", null);
    HttpResponse<String> write =
        send(second, "/admin/v1/merchants/" + merchantId + "/api_keys", ADMIN_TOKEN, "POST", null);

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(header(read, "RateLimit-Limit")).isEqualTo(STAFF_CAPACITY);
    assertThat(write.statusCode()).isEqualTo(201);
    assertThat(header(write, "RateLimit-Limit")).isEqualTo(ADMIN_CAPACITY);
  }

  @Test
  void healthAndApiDocs_areNotCounted() throws Exception {
    HttpResponse<String> health = send(first, "/actuator/health", ADMIN_TOKEN, "GET", null);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("RateLimit-Limit")).isEmpty();
  }

  @Test
  void merchantOverride_badInput_is4xxNamingTheField() throws Exception {
    String merchantId = createMerchant("Careless Admin").path("id").asString();
    String path = "/admin/v1/merchants/" + merchantId + "/rate_limits";

    HttpResponse<String> zero =
        send(
            first,
            path,
            ADMIN_TOKEN,
            "POST",
            "{\"merchant_writes\":{\"capacity\":0,\"period_seconds\":1}}");
    HttpResponse<String> noPeriod =
        send(first, path, ADMIN_TOKEN, "POST", "{\"merchant_reads\":{\"capacity\":3}}");
    HttpResponse<String> empty = send(first, path, ADMIN_TOKEN, "POST", "{}");
    HttpResponse<String> staffClass =
        send(first, path, ADMIN_TOKEN, "POST", "{\"staff\":{\"capacity\":3,\"period_seconds\":1}}");
    HttpResponse<String> unknown =
        send(
            first,
            "/admin/v1/merchants/mer_0000000000000000/rate_limits",
            ADMIN_TOKEN,
            "POST",
            "{\"merchant_reads\":{\"capacity\":3,\"period_seconds\":1}}");
    HttpResponse<String> byMerchant =
        send(
            first,
            path,
            apiKey(merchantId),
            "POST",
            "{\"merchant_reads\":{\"capacity\":1000000,\"period_seconds\":1}}");

    assertThat(param(zero, 400)).isEqualTo("merchant_writes.capacity");
    assertThat(param(noPeriod, 400)).isEqualTo("merchant_reads.period_seconds");
    assertThat(param(empty, 400)).isEqualTo("merchant_writes");
    assertThat(param(staffClass, 400)).isEqualTo("staff");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(byMerchant.statusCode()).isEqualTo(403);
  }

  @Test
  void redisDown_merchantsCountedPerInstance_adminWritesRefused_untilRedisIsBack()
      throws Exception {
    String key = createMerchantKey("Through The Outage");
    String counted = createMerchantKey("Counted Before");
    assertThat(alternately(3, "/v1/merchant", counted).stream().map(HttpResponse::statusCode))
        .containsOnly(200);
    DevServers servers = SharedDevServers.get();
    double errorsBefore = redisErrors(first) + redisErrors(second);
    double localBefore = localDecisions(first) + localDecisions(second);
    List<HttpResponse<String>> onFirst;
    List<HttpResponse<String>> onSecond;
    HttpResponse<String> adminWrite;
    long outageNanos;
    servers.stopRedis();
    try {
      long started = System.nanoTime();
      onFirst = repeat(first, CAPACITY + 2, key);
      onSecond = repeat(second, CAPACITY + 2, key);
      adminWrite =
          send(first, "/admin/v1/merchants", ADMIN_TOKEN, "POST", "{\"name\":\"Not Now\"}");
      outageNanos = System.nanoTime() - started;
    } finally {
      servers.startRedis();
    }

    // Each instance counts in its own bucket: the limit holds per instance.
    for (List<HttpResponse<String>> answers : List.of(onFirst, onSecond)) {
      assertThat(answers.stream().map(HttpResponse::statusCode))
          .containsExactly(200, 200, 200, 200, 200, 429, 429);
      assertThat(header(answers.getFirst(), "RateLimit-Remaining")).isEqualTo(CAPACITY - 1);
    }
    assertThat(localDecisions(first) + localDecisions(second) - localBefore)
        .isEqualTo(2.0 * (CAPACITY + 2));
    // Redis is asked again only once per back-off and instance, not on every request.
    long backoffs = 1 + outageNanos / BACKOFF.toNanos();
    assertThat(redisErrors(first) + redisErrors(second) - errorsBefore)
        .isBetween(2.0, 2.0 * (backoffs + 1));
    assertThat(adminWrite.statusCode()).isEqualTo(503);
    assertThat(header(adminWrite, "Retry-After")).isPositive();
    JsonNode error = json.readTree(adminWrite.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("api_error");
    assertThat(error.path("code").asString()).isEqualTo("rate_limiter_unavailable");

    // Redis is back: admin writes pass again after the back-off, and the merchant's requests are
    // counted in the shared bucket again (which the outage did not touch: a full one).
    assertThat(awaitAdminWrite().statusCode()).isEqualTo(201);
    assertThat(awaitSharedCounting(second, key)).isEqualTo(CAPACITY - 1);
    List<HttpResponse<String>> after = alternately(CAPACITY, "/v1/merchant", key);
    assertThat(after.stream().map(HttpResponse::statusCode))
        .containsExactly(200, 200, 200, 200, 429);
    // Redis kept its data through the restart: what was taken before the outage is still taken.
    assertThat(header(send(first, "/v1/merchant", counted, "GET", null), "RateLimit-Remaining"))
        .isEqualTo(CAPACITY - 4);
  }

  @Test
  void openApi_documents429AndTheRateLimitHeaders() throws Exception {
    JsonNode paths =
        json.readTree(send(first, "/v3/api-docs", ADMIN_TOKEN, "GET", null).body()).path("paths");

    for (String path : List.of("/v1/payments", "/admin/v1/merchants/{merchantId}/rate_limits")) {
      JsonNode responses = paths.path(path).path("post").path("responses");
      assertThat(responses.path("429").path("headers").has("Retry-After")).as(path).isTrue();
      assertThat(responses.path("429").path("headers").has("RateLimit-Reset")).as(path).isTrue();
      assertThat(responses.path("200").path("headers").has("RateLimit-Remaining"))
          .as(path)
          .isTrue();
    }
  }

  /** Admin writes until one passes, the back-off over; bounded. */
  private static HttpResponse<String> awaitAdminWrite() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      HttpResponse<String> response =
          send(first, "/admin/v1/merchants", ADMIN_TOKEN, "POST", "{\"name\":\"Back\"}");
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(200);
    }
  }

  /**
   * The second instance's first request counted in Redis (its back-off may outlast the first's by a
   * moment): its RateLimit-Remaining, once that is the shared bucket's. Requests counted locally in
   * the meantime answer 429 (the local bucket is empty) and take no shared token.
   */
  private static long awaitSharedCounting(ConfigurableApplicationContext instance, String key)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      double redisOk = redisOk(instance);
      HttpResponse<String> response = send(instance, "/v1/merchant", key, "GET", null);
      if (redisOk(instance) > redisOk || System.nanoTime() > deadline) {
        assertThat(response.statusCode()).isEqualTo(200);
        return header(response, "RateLimit-Remaining");
      }
      Thread.sleep(200);
    }
  }

  private static List<HttpResponse<String>> alternately(int count, String path, String key)
      throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(send(i % 2 == 0 ? first : second, path, key, "GET", null));
    }
    return answers;
  }

  private static List<HttpResponse<String>> repeat(
      ConfigurableApplicationContext instance, int count, String key) throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(send(instance, "/v1/merchant", key, "GET", null));
    }
    return answers;
  }

  private static JsonNode createMerchant(String name) throws Exception {
    HttpResponse<String> created =
        send(first, "/admin/v1/merchants", ADMIN_TOKEN, "POST", "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body());
  }

  private static String createMerchantKey(String name) throws Exception {
    return createMerchant(name).path("api_key").path("secret").asString();
  }

  /** A further key of the merchant: its first one is in {@link #createMerchant}'s answer. */
  private static String apiKey(String merchantId) throws Exception {
    HttpResponse<String> created =
        send(first, "/admin/v1/merchants/" + merchantId + "/api_keys", ADMIN_TOKEN, "POST", null);
    assertThat(created.statusCode()).isEqualTo(201);
    return json.readTree(created.body()).path("secret").asString();
  }

  private static String param(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return json.readTree(response.body()).path("error").path("param").asString();
  }

  private static long header(HttpResponse<String> response, String name) {
    return Long.parseLong(
        response
            .headers()
            .firstValue(name)
            .orElseThrow(() -> new AssertionError("no " + name + " header")));
  }

  private static double redisErrors(ConfigurableApplicationContext instance) {
    return meters(instance).counter("payrail.rate_limit.redis.calls", "outcome", "error").count();
  }

  private static double redisOk(ConfigurableApplicationContext instance) {
    return meters(instance).counter("payrail.rate_limit.redis.calls", "outcome", "ok").count();
  }

  private static double localDecisions(ConfigurableApplicationContext instance) {
    return meters(instance).counter("payrail.rate_limit.local.decisions").count();
  }

  private static MeterRegistry meters(ConfigurableApplicationContext instance) {
    return instance.getBean(MeterRegistry.class);
  }

  private static HttpResponse<String> send(
      ConfigurableApplicationContext instance,
      String path,
      String token,
      String method,
      String body)
      throws Exception {
    int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
