package io.payrail.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.PostgresDevServer;
import io.payrail.devservers.SharedDevServers;
import io.payrail.platform.audit.AuditChainVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every administrative action the api offers appends exactly one audit record, naming who did what
 * to which object in which request and what changed; admins list the log, and nobody else does.
 * Against the real dev servers, the api connected as the applications' role.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditIT {

  static final String ADMIN_TOKEN = "audit-admin-token-" + UUID.randomUUID();

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedDevServers.get()
        .springProperties()
        .forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
    registry.add("payrail.webhooks.allow-http", () -> "true");
    registry.add("payrail.webhooks.allow-private-addresses", () -> "true");
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void merchantAndKeyActions_eachAppendOneRecordByTheAdmin() throws Exception {
    Sent created = admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Books\"}");
    String merchantId = created.body().path("id").asString();
    String firstKeyId = created.body().path("api_key").path("id").asString();
    String firstSecret = created.body().path("api_key").path("secret").asString();
    Sent key = admin("POST", "/admin/v1/merchants/" + merchantId + "/api_keys", null);
    String keyId = key.body().path("id").asString();
    Sent revoked =
        admin("POST", "/admin/v1/merchants/" + merchantId + "/api_keys/" + keyId + "/revoke", null);

    JsonNode merchantCreated = onlyRecordOf(created);
    assertActor(merchantCreated, "bootstrap", "bootstrap", "bootstrap", "admin");
    assertThat(merchantCreated.path("action").asString()).isEqualTo("merchant.created");
    assertTarget(merchantCreated, "merchant", merchantId);
    assertThat(merchantCreated.path("changes").path("after").path("name").asString())
        .isEqualTo("Audited Books");
    assertThat(merchantCreated.path("changes").path("after").path("api_key_id").asString())
        .isEqualTo(firstKeyId);
    assertThat(merchantCreated.toString()).doesNotContain(firstSecret);

    JsonNode keyCreated = onlyRecordOf(key);
    assertThat(keyCreated.path("action").asString()).isEqualTo("api_key.created");
    assertTarget(keyCreated, "api_key", keyId);
    assertThat(keyCreated.path("changes").path("after").path("merchant_id").asString())
        .isEqualTo(merchantId);
    assertThat(keyCreated.toString()).doesNotContain(key.body().path("secret").asString());

    JsonNode keyRevoked = onlyRecordOf(revoked);
    assertThat(keyRevoked.path("action").asString()).isEqualTo("api_key.revoked");
    assertTarget(keyRevoked, "api_key", keyId);
    assertThat(keyRevoked.path("changes").path("before").path("revoked").isNull()).isTrue();
    assertThat(keyRevoked.path("changes").path("after").path("revoked").asLong())
        .isEqualTo(revoked.body().path("revoked").asLong());

    // Revoking it again changes nothing, so it records nothing.
    Sent again =
        admin("POST", "/admin/v1/merchants/" + merchantId + "/api_keys/" + keyId + "/revoke", null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().path("revoked").asLong())
        .isEqualTo(revoked.body().path("revoked").asLong());
    assertThat(records(again.requestId())).isEmpty();
  }

  @Test
  void merchantActions_eachAppendOneRecordByTheMerchantsKey() throws Exception {
    Sent created = admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Games\"}");
    String merchantId = created.body().path("id").asString();
    String keyId = created.body().path("api_key").path("id").asString();
    String key = "Bearer " + created.body().path("api_key").path("secret").asString();

    Sent settings =
        send(key, "POST", "/v1/merchant", "{\"receipts\":{\"payments\":true},\"email\":\"a@b.c\"}");
    Sent endpoint =
        send(
            key,
            "POST",
            "/v1/webhook_endpoints",
            "{\"url\":\"http://127.0.0.1:9/hook\",\"enabled_events\":[\"payment.succeeded\"]}");
    String endpointId = endpoint.body().path("id").asString();
    Sent rolled = send(key, "POST", "/v1/webhook_endpoints/" + endpointId + "/roll_secret", "{}");
    String deliveryId = deliveryFor(merchantId, endpointId);
    Sent redelivered =
        send(key, "POST", "/v1/webhook_deliveries/" + deliveryId + "/redeliver", null);
    Sent deleted = send(key, "DELETE", "/v1/webhook_endpoints/" + endpointId, null);

    JsonNode settingsChanged = onlyRecordOf(settings);
    assertActor(settingsChanged, "merchant", merchantId, keyId, "merchant");
    assertThat(settingsChanged.path("action").asString()).isEqualTo("merchant.settings_changed");
    assertTarget(settingsChanged, "merchant", merchantId);
    assertThat(json.writeValueAsString(settingsChanged.path("changes")))
        .isEqualTo(
            "{\"after\":{\"email\":\"a@b.c\",\"receipts_payments\":true},"
                + "\"before\":{\"email\":null,\"receipts_payments\":false}}");

    JsonNode endpointCreated = onlyRecordOf(endpoint);
    assertActor(endpointCreated, "merchant", merchantId, keyId, "merchant");
    assertThat(endpointCreated.path("action").asString()).isEqualTo("webhook_endpoint.created");
    assertTarget(endpointCreated, "webhook_endpoint", endpointId);
    assertThat(endpointCreated.path("changes").path("after").path("url").asString())
        .isEqualTo("http://127.0.0.1:9/hook");

    JsonNode secretRolled = onlyRecordOf(rolled);
    assertThat(secretRolled.path("action").asString()).isEqualTo("webhook_endpoint.secret_rolled");
    assertThat(secretRolled.path("changes").path("after").path("overlap_seconds").asLong())
        .isEqualTo(86_400);

    JsonNode redelivery = onlyRecordOf(redelivered);
    assertThat(redelivery.path("action").asString())
        .isEqualTo("webhook_delivery.redelivery_requested");
    assertTarget(redelivery, "webhook_delivery", redelivered.body().path("id").asString());
    assertThat(redelivery.path("changes").path("after").path("redelivery_of").asString())
        .isEqualTo(deliveryId);

    JsonNode endpointDeleted = onlyRecordOf(deleted);
    assertThat(endpointDeleted.path("action").asString()).isEqualTo("webhook_endpoint.deleted");
    assertThat(endpointDeleted.path("changes").path("before").path("url").asString())
        .isEqualTo("http://127.0.0.1:9/hook");
    assertThat(endpointDeleted.path("changes").path("after").isEmpty()).isTrue();

    for (Sent sent : List.of(endpoint, rolled)) {
      String secret = sent.body().path("secret").asString();
      assertThat(secret).startsWith("whsec_");
      assertThat(records(sent.requestId()).toString()).doesNotContain(secret);
    }
  }

  @Test
  void refusedAction_appendsNothing() throws Exception {
    Sent created = admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Toys\"}");
    String merchantId = created.body().path("id").asString();

    Sent unknownKey =
        admin(
            "POST",
            "/admin/v1/merchants/" + merchantId + "/api_keys/key_" + "x".repeat(24) + "/revoke",
            null);
    Sent invalid = admin("POST", "/admin/v1/merchants", "{\"name\":\" \"}");

    assertThat(unknownKey.status()).isEqualTo(404);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(records(unknownKey.requestId())).isEmpty();
    assertThat(records(invalid.requestId())).isEmpty();
  }

  @Test
  void list_filtersByActorActionTargetAndTime_andPagesBySeq() throws Exception {
    Sent created = admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Films\"}");
    String merchantId = created.body().path("id").asString();
    for (int i = 0; i < 3; i++) {
      admin("POST", "/admin/v1/merchants/" + merchantId + "/api_keys", null);
    }
    String byTarget = "/admin/v1/audit_events?target_type=merchant&target_id=" + merchantId;

    JsonNode keys =
        admin(
                "GET",
                "/admin/v1/audit_events?action=api_key.created&actor=bootstrap&limit=100",
                null)
            .body();
    JsonNode first =
        admin("GET", "/admin/v1/audit_events?action=api_key.created&limit=2", null).body();
    long lastOnFirst = first.path("data").get(1).path("seq").asLong();
    JsonNode second =
        admin(
                "GET",
                "/admin/v1/audit_events?action=api_key.created&limit=2&starting_after="
                    + lastOnFirst,
                null)
            .body();
    JsonNode back =
        admin(
                "GET",
                "/admin/v1/audit_events?action=api_key.created&limit=2&ending_before="
                    + second.path("data").get(0).path("seq").asLong(),
                null)
            .body();
    long now = System.currentTimeMillis() / 1000;

    assertThat(admin("GET", byTarget, null).body().path("data")).hasSize(1);
    assertThat(keys.path("data").valueStream().map(e -> e.path("action").asString()))
        .containsOnly("api_key.created");
    assertThat(keys.path("data").size()).isGreaterThanOrEqualTo(3);
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(first.path("data").get(0).path("seq").asLong()).isGreaterThan(lastOnFirst);
    assertThat(second.path("data").get(0).path("seq").asLong()).isLessThan(lastOnFirst);
    assertThat(back.path("data")).isEqualTo(first.path("data"));
    assertThat(admin("GET", byTarget + "&created[gte]=" + (now + 3600), null).body().path("data"))
        .isEmpty();
    assertThat(admin("GET", byTarget + "&created[lte]=" + (now + 3600), null).body().path("data"))
        .hasSize(1);
  }

  @Test
  void list_isForAdminsOnly_andNamesTheBadParameter() throws Exception {
    Sent created = admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Maps\"}");
    String key = "Bearer " + created.body().path("api_key").path("secret").asString();

    assertThat(send(key, "GET", "/admin/v1/audit_events", null).status()).isEqualTo(403);
    assertThat(send(null, "GET", "/admin/v1/audit_events", null).status()).isEqualTo(401);
    for (String query :
        List.of(
            "limit=0",
            "starting_after=0",
            "starting_after=abc",
            "created[gte]=-1",
            "created[lte]=soon",
            "action=" + "a".repeat(201))) {
      Sent bad = admin("GET", "/admin/v1/audit_events?" + query, null);
      String param = query.substring(0, query.indexOf('='));
      assertThat(bad.status()).as(query).isEqualTo(400);
      assertThat(bad.body().path("error").path("param").asString()).as(query).isEqualTo(param);
    }
  }

  @Test
  void chain_staysIntactThroughTheApisActions() throws Exception {
    admin("POST", "/admin/v1/merchants", "{\"name\":\"Audited Chains\"}");
    PostgresDevServer postgres = SharedDevServers.get().postgres();

    try (Connection connection =
        DriverManager.getConnection(
            postgres.jdbcUrl(), PostgresDevServer.APP, postgres.appPassword())) {
      AuditChainVerifier.Verification verification = AuditChainVerifier.verify(connection);

      assertThat(verification.intact()).as(verification.problem()).isTrue();
      assertThat(verification.checked()).isPositive();
    }
  }

  private record Sent(int status, JsonNode body, String requestId) {}

  private JsonNode onlyRecordOf(Sent sent) throws Exception {
    assertThat(sent.status()).as(sent.body().toString()).isBetween(200, 299);
    JsonNode records = records(sent.requestId());
    assertThat(records).as("records of request " + sent.requestId()).hasSize(1);
    JsonNode record = records.get(0);
    assertThat(record.path("request_id").asString()).isEqualTo(sent.requestId());
    assertThat(record.path("hash").asString()).hasSize(64);
    return record;
  }

  /** The audit records a request left, through the admin API. */
  private JsonNode records(String requestId) throws Exception {
    List<Long> seqs =
        jdbc.sql("SELECT seq FROM audit_log WHERE request_id = ? ORDER BY seq")
            .param(requestId)
            .query(Long.class)
            .list();
    var listed = json.createArrayNode();
    for (long seq : seqs) {
      JsonNode page =
          admin("GET", "/admin/v1/audit_events?limit=1&starting_after=" + (seq + 1), null).body();
      listed.add(page.path("data").get(0));
    }
    return listed;
  }

  private static void assertActor(
      JsonNode record, String kind, String id, String credentialId, String role) {
    JsonNode actor = record.path("actor");
    assertThat(actor.path("kind").asString()).isEqualTo(kind);
    assertThat(actor.path("id").asString()).isEqualTo(id);
    assertThat(actor.path("credential_id").asString()).isEqualTo(credentialId);
    assertThat(actor.path("role").asString()).isEqualTo(role);
  }

  private static void assertTarget(JsonNode record, String type, String id) {
    assertThat(record.path("target").path("type").asString()).isEqualTo(type);
    assertThat(record.path("target").path("id").asString()).isEqualTo(id);
  }

  /** A delivered event of the merchant's, as the webhook dispatcher would have left it. */
  private String deliveryFor(String merchantId, String endpointId) {
    String eventId = "evt_audit" + UUID.randomUUID().toString().replace("-", "");
    String deliveryId = "whd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    jdbc.sql(
            """
            INSERT INTO events (id, type, api_version, merchant_id, object_id, topic, payload,
                                created_at, published_at)
            VALUES (?, 'payment.succeeded', '2026-01-01', ?, 'pay_x', 'payrail.payment-events',
                    '{}'::jsonb, now(), now())
            """)
        .params(eventId, merchantId)
        .update();
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id)
            VALUES (?, ?, ?, ?)
            """)
        .params(deliveryId, endpointId, eventId, merchantId)
        .update();
    return deliveryId;
  }

  private Sent admin(String method, String path, String body) throws Exception {
    return send("Bearer " + ADMIN_TOKEN, method, path, body);
  }

  private Sent send(String authorization, String method, String path, String body)
      throws Exception {
    String requestId = "audit-it-" + UUID.randomUUID();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("X-Request-Id", requestId)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Sent(response.statusCode(), json.readTree(response.body()), requestId);
  }
}
