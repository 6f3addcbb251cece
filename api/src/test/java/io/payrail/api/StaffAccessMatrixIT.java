package io.payrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.SharedKeycloak;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what, against a real Keycloak and the real servers: every endpoint of the api, as
 * its own handler mappings list them, called by every kind of caller, answers the expected status;
 * and no answer to another merchant, to a caller without the right, or to a bad credential carries
 * merchant A's data. An endpoint added without a row here fails {@link
 * #everyEndpoint_hasARowInTheMatrix}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaffAccessMatrixIT {

  private static final String ADMIN_TOKEN = KeycloakDevServer.randomHex();
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(1);
  private static final String MARKER = "matrix-merchant-a-" + UUID.randomUUID();
  private static final String ACCOUNT_NUMBER = "000987656789";

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    SharedKeycloak.withDevServers().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("payrail.staff.clock-skew", CLOCK_SKEW::toString);
    registry.add("payrail.admin.token", () -> ADMIN_TOKEN);
    // No worker runs here: payment operations answer 202 ("processing") after this wait.
    registry.add("payrail.payments.authorization-wait", () -> "1s");
    registry.add("payrail.webhooks.allow-private-addresses", () -> "true");
    registry.add("payrail.webhooks.allow-http", () -> "true");
  }

  /** Every kind of caller. */
  enum Who {
    NONE,
    OTHER_MERCHANT,
    MERCHANT,
    REVOKED_KEY,
    OPERATOR,
    FINANCE,
    ADMIN,
    BOOTSTRAP_ADMIN,
    EXPIRED_TOKEN,
    WRONG_AUDIENCE,
    OTHER_ISSUER,
    OTHER_SIGNING_KEY,
    ALG_NONE
  }

  /** Who an endpoint is for. */
  enum Group {
    MERCHANT,
    OPERATOR,
    FINANCE,
    ADMIN
  }

  /**
   * One endpoint: who it is for, what it answers them, what it answers another merchant (merchant
   * endpoints), and a check of the allowed caller's body.
   */
  record Row(
      Group group,
      int allowed,
      int otherMerchant,
      Supplier<String> path,
      Supplier<String> body,
      Consumer<JsonNode> check) {}

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<Who, String> credentials = new LinkedHashMap<>();
  private Map<String, Row> matrix;

  private String merchantA;
  private String merchantB;
  private String keyA;
  private String paymentA;
  private String paymentB;
  private String refundA;
  private String endpointA;
  private String deliveryA;
  private String termsA;
  private long runA;
  private String payoutA;
  private String payoutFileA;
  private String reportA;
  private String breakA;

  @BeforeAll
  void merchantsStaffAndTokens() throws Exception {
    KeycloakDevServer keycloak = SharedKeycloak.get();
    JsonNode a = createMerchant(MARKER);
    JsonNode b = createMerchant("matrix-merchant-b");
    merchantA = a.path("id").asString();
    merchantB = b.path("id").asString();
    keyA = a.path("api_key").path("secret").asString();
    credentials.put(Who.NONE, null);
    credentials.put(Who.OTHER_MERCHANT, "Bearer " + b.path("api_key").path("secret").asString());
    credentials.put(Who.MERCHANT, "Bearer " + keyA);
    credentials.put(Who.REVOKED_KEY, "Bearer " + revokedKey(merchantA));
    for (String role : List.of("operator", "finance", "admin")) {
      String user = role + "-" + KeycloakDevServer.randomHex().substring(0, 8);
      String password = KeycloakDevServer.randomHex();
      keycloak.createUser(user, password, role);
      String token = keycloak.accessToken(KeycloakDevServer.CLI_CLIENT, user, password);
      credentials.put(Who.valueOf(role.toUpperCase(java.util.Locale.ROOT)), "Bearer " + token);
    }
    credentials.put(Who.BOOTSTRAP_ADMIN, "Bearer " + ADMIN_TOKEN);
    credentials.put(Who.EXPIRED_TOKEN, "Bearer " + expiredToken(keycloak));
    credentials.put(Who.WRONG_AUDIENCE, "Bearer " + tokenNotForTheApi(keycloak));
    credentials.put(Who.OTHER_ISSUER, "Bearer " + forged("https://login.example.org", null));
    credentials.put(
        Who.OTHER_SIGNING_KEY, "Bearer " + forged(keycloak.issuer(), keycloakKeyId(keycloak)));
    credentials.put(Who.ALG_NONE, "Bearer " + unsigned(keycloak.issuer()));

    paymentA = createPayment(keyA, MARKER);
    paymentB = createPayment(b.path("api_key").path("secret").asString(), "matrix-b");
    refundA = insertRefund(merchantA, paymentA);
    endpointA = createEndpoint(keyA);
    deliveryA = insertDelivery(merchantA, endpointA, paymentA);
    termsA = createTerms(merchantA);
    runA = insertRun();
    payoutFileA = insertPayoutFile(runA);
    payoutA = insertPayout(merchantA, runA, termsA, payoutFileA);
    reportA = insertReport();
    breakA = insertBreak(reportA);
    matrix = matrix();
  }

  @Test
  void staffEndpoints_answerBadInputWith400NamingTheParameter() throws Exception {
    String operator = credentials.get(Who.OPERATOR);
    Map<String, String> badInputs = new LinkedHashMap<>();
    badInputs.put("/staff/v1/payments?limit=0", "limit");
    badInputs.put("/staff/v1/payments?limit=101", "limit");
    badInputs.put("/staff/v1/payments?merchant=not-a-merchant", "merchant");
    badInputs.put("/staff/v1/payments?starting_after=x%27%3B--", "starting_after");
    badInputs.put("/staff/v1/payments/" + paymentA + "/refunds?limit=-1", "limit");

    for (Map.Entry<String, String> bad : badInputs.entrySet()) {
      HttpResponse<String> answer = call("GET", bad.getKey(), operator, null);
      assertThat(answer.statusCode()).as(bad.getKey() + " -> " + answer.body()).isEqualTo(400);
      assertThat(json.readTree(answer.body()).path("error").path("param").asString())
          .as(bad.getKey())
          .isEqualTo(bad.getValue());
    }
    // Still serving.
    assertThat(call("GET", "/staff/v1/payments", operator, null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyEndpoint_hasARowInTheMatrix() {
    Set<String> served = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
        mappings.getHandlerMethods().entrySet()) {
      if (!mapping.getValue().getBeanType().getPackageName().startsWith("io.payrail.api")) {
        continue;
      }
      for (var method : mapping.getKey().getMethodsCondition().getMethods()) {
        for (String pattern : mapping.getKey().getPatternValues()) {
          served.add(method.name() + " " + pattern);
        }
      }
    }

    assertThat(served).isNotEmpty().isEqualTo(new TreeSet<>(matrix.keySet()));
  }

  @Test
  void everyEndpoint_byEveryCaller_answersTheExpectedStatus_andNeverMerchantAsDataToOthers()
      throws Exception {
    SoftAssertions softly = new SoftAssertions();
    int calls = 0;
    for (Map.Entry<String, Row> entry : matrix.entrySet()) {
      String method = entry.getKey().substring(0, entry.getKey().indexOf(' '));
      Row row = entry.getValue();
      for (Who who : Who.values()) {
        String path = row.path().get();
        String body = row.body() == null ? null : row.body().get();
        HttpResponse<String> response = call(method, path, credentials.get(who), body);
        calls++;
        String what = who + " " + method + " " + path;
        int expected = expected(row, who);
        softly
            .assertThat(response.statusCode())
            .as("%s -> %s", what, response.body())
            .isEqualTo(expected);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
          JsonNode error = json.readTree(response.body()).path("error");
          softly
              .assertThat(error.path("type").asString())
              .as(what)
              .isEqualTo(
                  response.statusCode() == 401 ? "authentication_error" : "permission_error");
        }
        if (isForgedOrExpired(who)) {
          softly
              .assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
              .as(what)
              .contains("error=\"invalid_token\"");
        }
        if (mayNotSeeMerchantA(who, row)) {
          for (String secret : merchantAData()) {
            if (!path.contains(secret) && (body == null || !body.contains(secret))) {
              softly.assertThat(response.body()).as(what).doesNotContain(secret);
            }
          }
        }
        if (response.statusCode() == expected && expected < 300 && allowed(row, who)) {
          JsonNode answer = json.readTree(response.body());
          softly.check(() -> row.check().accept(answer));
        }
      }
    }
    softly.assertAll();
    assertThat(calls).isEqualTo(matrix.size() * Who.values().length);
  }

  private static int expected(Row row, Who who) {
    return switch (who) {
      case NONE,
          REVOKED_KEY,
          EXPIRED_TOKEN,
          WRONG_AUDIENCE,
          OTHER_ISSUER,
          OTHER_SIGNING_KEY,
          ALG_NONE ->
          401;
      case OTHER_MERCHANT -> row.group() == Group.MERCHANT ? row.otherMerchant() : 403;
      default -> allowed(row, who) ? row.allowed() : 403;
    };
  }

  private static boolean allowed(Row row, Who who) {
    return switch (who) {
      case MERCHANT -> row.group() == Group.MERCHANT;
      case OPERATOR -> row.group() == Group.OPERATOR;
      case FINANCE -> row.group() == Group.FINANCE;
      case ADMIN, BOOTSTRAP_ADMIN -> row.group() == Group.ADMIN;
      default -> false;
    };
  }

  private static boolean isForgedOrExpired(Who who) {
    return who == Who.EXPIRED_TOKEN
        || who == Who.WRONG_AUDIENCE
        || who == Who.OTHER_ISSUER
        || who == Who.OTHER_SIGNING_KEY
        || who == Who.ALG_NONE;
  }

  /** Everyone but merchant A itself, and staff on the endpoints their role opens. */
  private static boolean mayNotSeeMerchantA(Who who, Row row) {
    return !allowed(row, who);
  }

  private List<String> merchantAData() {
    return List.of(
        MARKER, merchantA, paymentA, refundA, endpointA, deliveryA, keyA, payoutA, payoutFileA);
  }

  /** Every endpoint of the api; the key is what the handler mappings call it. */
  private Map<String, Row> matrix() {
    Map<String, Row> rows = new LinkedHashMap<>();
    String card =
        "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2034,"
            + "\"cvc\":\"123\"}";
    // Merchant endpoints: merchant A's objects; another merchant gets 404 or its own.
    rows.put(
        "POST /v1/payments",
        new Row(
            Group.MERCHANT,
            202,
            202,
            () -> "/v1/payments",
            () -> "{\"amount\":700,\"currency\":\"usd\"," + card + "}",
            answer -> assertThat(answer.path("status").asString()).isEqualTo("processing")));
    rows.put(
        "GET /v1/payments",
        merchantRow(
            200,
            200,
            () -> "/v1/payments",
            answer -> assertThat(ids(answer)).contains(paymentA).doesNotContain(paymentB)));
    rows.put(
        "GET /v1/payments/{id}",
        merchantRow(200, 404, () -> "/v1/payments/" + paymentA, idIs(() -> paymentA)));
    rows.put(
        "POST /v1/payments/{id}/capture",
        new Row(
            Group.MERCHANT,
            202,
            404,
            () -> "/v1/payments/" + paymentA + "/capture",
            () -> "{}",
            idIs(() -> paymentA)));
    rows.put(
        "POST /v1/payments/{id}/cancel",
        new Row(
            Group.MERCHANT,
            202,
            404,
            () -> "/v1/payments/" + paymentA + "/cancel",
            () -> "{}",
            idIs(() -> paymentA)));
    rows.put(
        "POST /v1/refunds",
        new Row(
            Group.MERCHANT,
            400,
            400,
            () -> "/v1/refunds",
            () -> "{\"payment\":\"" + paymentA + "\",\"amount\":0}",
            answer -> {}));
    rows.put(
        "GET /v1/refunds",
        merchantRow(
            200, 200, () -> "/v1/refunds", answer -> assertThat(ids(answer)).contains(refundA)));
    rows.put(
        "GET /v1/refunds/{id}",
        merchantRow(200, 404, () -> "/v1/refunds/" + refundA, idIs(() -> refundA)));
    rows.put(
        "GET /v1/merchant", merchantRow(200, 200, () -> "/v1/merchant", idIs(() -> merchantA)));
    rows.put(
        "POST /v1/merchant",
        new Row(
            Group.MERCHANT,
            200,
            200,
            () -> "/v1/merchant",
            () -> "{\"receipts\":{\"payments\":false}}",
            idIs(() -> merchantA)));
    rows.put(
        "POST /v1/webhook_endpoints",
        new Row(
            Group.MERCHANT,
            201,
            201,
            () -> "/v1/webhook_endpoints",
            () -> "{\"url\":\"http://127.0.0.1:9/other\",\"enabled_events\":[\"*\"]}",
            answer -> assertThat(answer.path("id").asString()).startsWith("we_")));
    rows.put(
        "GET /v1/webhook_endpoints",
        merchantRow(
            200,
            200,
            () -> "/v1/webhook_endpoints",
            answer -> assertThat(ids(answer)).contains(endpointA)));
    rows.put(
        "GET /v1/webhook_endpoints/{id}",
        merchantRow(200, 404, () -> "/v1/webhook_endpoints/" + endpointA, idIs(() -> endpointA)));
    rows.put(
        "DELETE /v1/webhook_endpoints/{id}",
        merchantRow(
            200,
            404,
            () -> "/v1/webhook_endpoints/" + createEndpoint(keyA),
            answer -> assertThat(answer.path("id").asString()).startsWith("we_")));
    rows.put(
        "POST /v1/webhook_endpoints/{id}/roll_secret",
        new Row(
            Group.MERCHANT,
            200,
            404,
            () -> "/v1/webhook_endpoints/" + endpointA + "/roll_secret",
            () -> "{}",
            idIs(() -> endpointA)));
    rows.put(
        "GET /v1/webhook_endpoints/{id}/deliveries",
        merchantRow(
            200,
            200,
            () -> "/v1/webhook_endpoints/" + endpointA + "/deliveries",
            answer -> assertThat(ids(answer)).contains(deliveryA)));
    rows.put(
        "POST /v1/webhook_deliveries/{id}/redeliver",
        merchantRow(
            202,
            404,
            () -> "/v1/webhook_deliveries/" + deliveryA + "/redeliver",
            answer -> assertThat(answer.path("event").asString()).startsWith("evt_")));
    rows.put(
        "GET /v1/settlement_terms",
        merchantRow(200, 404, () -> "/v1/settlement_terms", idIs(() -> termsA)));
    rows.put(
        "GET /v1/payouts",
        merchantRow(
            200,
            200,
            () -> "/v1/payouts",
            answer -> assertThat(ids(answer)).containsExactly(payoutA)));
    rows.put(
        "GET /v1/payouts/{id}",
        merchantRow(200, 404, () -> "/v1/payouts/" + payoutA, idIs(() -> payoutA)));
    // Finance endpoints: settlement of every merchant; operators and admins are refused.
    rows.put(
        "GET /staff/v1/settlement/runs",
        financeRow(
            () -> "/staff/v1/settlement/runs?currency=USD&business_date=" + businessDateA(),
            answer -> assertThat(ids(answer)).containsExactly(Long.toString(runA))));
    rows.put(
        "GET /staff/v1/settlement/runs/{id}",
        financeRow(
            () -> "/staff/v1/settlement/runs/" + runA,
            answer -> {
              assertThat(answer.path("run").path("id").asString()).isEqualTo(Long.toString(runA));
              assertThat(answer.path("payout_files").get(0).path("id").asString())
                  .isEqualTo(payoutFileA);
            }));
    rows.put(
        "GET /staff/v1/settlement/payouts",
        financeRow(
            () -> "/staff/v1/settlement/payouts?run_id=" + runA,
            answer -> assertThat(ids(answer)).containsExactly(payoutA)));
    rows.put(
        "GET /staff/v1/settlement/payout_files/{id}",
        financeRow(
            () -> "/staff/v1/settlement/payout_files/" + payoutFileA, idIs(() -> payoutFileA)));
    // No PayoutFileWorkflow runs here: the file awaits no approval, which finance is told (404).
    rows.put(
        "POST /staff/v1/settlement/payout_files/{id}/approve",
        new Row(
            Group.FINANCE,
            404,
            403,
            () -> "/staff/v1/settlement/payout_files/" + payoutFileA + "/approve",
            null,
            answer -> {}));
    // Finance reruns: run A's day rerun once (the key differs per call, but only finance gets in).
    rows.put(
        "POST /staff/v1/settlement/reruns",
        new Row(
            Group.FINANCE,
            201,
            403,
            () -> "/staff/v1/settlement/reruns",
            () ->
                "{\"currency\":\"USD\",\"business_date\":\""
                    + businessDateA()
                    + "\",\"reason\":\"access matrix\"}",
            answer -> {
              assertThat(answer.path("object").asString()).isEqualTo("settlement_rerun");
              assertThat(answer.path("run_number").asInt()).isEqualTo(2);
              assertThat(answer.path("supersedes").asString()).isEqualTo(Long.toString(runA));
            }));
    rows.put(
        "GET /staff/v1/settlement/runs/{id}/diff",
        financeRow(
            () -> "/staff/v1/settlement/runs/" + rerunOf(runA) + "/diff",
            answer ->
                assertThat(answer.path("run").path("supersedes").asString())
                    .isEqualTo(Long.toString(runA))));
    // Run A is a scheduled run: nothing to decide on, which finance is told (400 not_a_rerun).
    for (String decision : List.of("approve", "reject")) {
      rows.put(
          "POST /staff/v1/settlement/runs/{id}/" + decision,
          new Row(
              Group.FINANCE,
              400,
              403,
              () -> "/staff/v1/settlement/runs/" + runA + "/" + decision,
              null,
              answer ->
                  assertThat(answer.path("error").path("code").asString())
                      .isEqualTo("not_a_rerun")));
    }
    // Operator endpoints: any merchant's.
    rows.put(
        "GET /staff/v1/payments",
        staffRow(
            () -> "/staff/v1/payments?limit=100",
            answer -> {
              List<String> merchants = new ArrayList<>();
              List<String> payments = new ArrayList<>();
              answer
                  .path("data")
                  .forEach(
                      item -> {
                        merchants.add(item.path("merchant").asString());
                        payments.add(item.path("payment").path("id").asString());
                      });
              assertThat(payments).contains(paymentA, paymentB);
              assertThat(merchants).contains(merchantA, merchantB);
            }));
    rows.put(
        "GET /staff/v1/payments/{id}",
        staffRow(
            () -> "/staff/v1/payments/" + paymentA,
            answer -> {
              assertThat(answer.path("merchant").asString()).isEqualTo(merchantA);
              assertThat(answer.path("payment").path("id").asString()).isEqualTo(paymentA);
            }));
    rows.put(
        "GET /staff/v1/payments/{id}/refunds",
        staffRow(
            () -> "/staff/v1/payments/" + paymentA + "/refunds",
            answer -> assertThat(ids(answer)).containsExactly(refundA)));
    rows.put(
        "POST /staff/v1/webhook_deliveries/{id}/redeliver",
        new Row(
            Group.OPERATOR,
            202,
            403,
            () -> "/staff/v1/webhook_deliveries/" + deliveryA + "/redeliver",
            null,
            answer -> assertThat(answer.path("endpoint").asString()).isEqualTo(endpointA)));
    // Finance endpoints: reconciliation of the bank's settlement reports.
    rows.put(
        "POST /staff/v1/reconciliation/reports",
        new Row(
            Group.FINANCE,
            202,
            403,
            () -> "/staff/v1/reconciliation/reports",
            () -> "{\"currency\":\"USD\",\"date\":\"2026-01-02\"}",
            answer ->
                assertThat(answer.path("workflow_id").asString())
                    .isEqualTo("reconciliation-USD-2026-01-02")));
    rows.put(
        "GET /staff/v1/reconciliation/reports",
        financeRow(
            () -> "/staff/v1/reconciliation/reports?limit=100",
            answer -> assertThat(ids(answer)).contains(reportA)));
    rows.put(
        "GET /staff/v1/reconciliation/breaks",
        financeRow(
            () -> "/staff/v1/reconciliation/breaks?report=" + reportA,
            answer -> assertThat(ids(answer)).contains(breakA)));
    rows.put(
        "GET /staff/v1/reconciliation/breaks/{id}",
        financeRow(() -> "/staff/v1/reconciliation/breaks/" + breakA, idIs(() -> breakA)));
    rows.put(
        "POST /staff/v1/reconciliation/breaks/{id}/resolve",
        new Row(
            Group.FINANCE,
            200,
            403,
            () -> "/staff/v1/reconciliation/breaks/" + insertBreak(reportA) + "/resolve",
            () -> "{\"note\":\"bank confirmed\"}",
            answer -> assertThat(answer.path("status").asString()).isEqualTo("resolved")));
    // Admin endpoints: Keycloak admins and the bootstrap token.
    rows.put(
        "POST /admin/v1/merchants",
        new Row(
            Group.ADMIN,
            201,
            403,
            () -> "/admin/v1/merchants",
            () -> "{\"name\":\"matrix-created\"}",
            answer -> assertThat(answer.path("id").asString()).startsWith("mer_")));
    rows.put(
        "POST /admin/v1/merchants/{merchantId}/api_keys",
        new Row(
            Group.ADMIN,
            201,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/api_keys",
            null,
            answer -> assertThat(answer.path("secret").asString()).startsWith("sk_test_")));
    rows.put(
        "GET /admin/v1/merchants/{merchantId}/api_keys",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/api_keys",
            null,
            answer -> assertThat(answer.path("data").size()).isPositive()));
    rows.put(
        "POST /admin/v1/merchants/{merchantId}/api_keys/{keyId}/revoke",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/api_keys/" + newKeyId() + "/revoke",
            null,
            answer -> assertThat(answer.path("revoked").isNumber()).isTrue()));
    rows.put(
        "GET /admin/v1/merchants/{merchantId}/rate_limits",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/rate_limits",
            null,
            answer -> assertThat(answer.path("merchant").asString()).isEqualTo(merchantA)));
    rows.put(
        "POST /admin/v1/merchants/{merchantId}/rate_limits",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/rate_limits",
            () -> "{\"merchant_reads\":{\"capacity\":1000,\"period_seconds\":1}}",
            answer -> assertThat(answer.path("merchant").asString()).isEqualTo(merchantA)));
    rows.put(
        "GET /admin/v1/keys",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/keys",
            null,
            answer -> assertThat(answer.path("keys").size()).isPositive()));
    rows.put(
        "POST /admin/v1/keys/rotate",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/keys/rotate",
            null,
            answer -> {
              assertThat(answer.path("rewrapped").isNumber()).isTrue();
              assertThat(
                      jdbc.sql(
                              "SELECT count(*) FROM audit_log WHERE action = 'keys.rotated'"
                                  + " AND actor_role = 'admin'")
                          .query(Long.class)
                          .single())
                  .isPositive();
              // Audited once Vault has rotated: by an admin, with the versions it moved to.
              assertThat(
                      jdbc.sql(
                              "SELECT changes FROM audit_log WHERE action = 'keys.rewrapped'"
                                  + " AND actor_role = 'admin' ORDER BY seq DESC LIMIT 1")
                          .query(String.class)
                          .single())
                  .contains("\"latest_version\":")
                  .contains("\"rewrapped\":");
            }));
    rows.put(
        "POST /admin/v1/keys/retire",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/keys/retire",
            null,
            answer -> assertThat(answer.path("keys").size()).isPositive()));
    rows.put(
        "POST /admin/v1/merchants/{merchantId}/settlement_terms",
        new Row(
            Group.ADMIN,
            201,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/settlement_terms",
            () -> termsBody(),
            answer -> {
              assertThat(answer.path("merchant").asString()).isEqualTo(merchantA);
              assertThat(answer.toString()).doesNotContain(ACCOUNT_NUMBER).contains("****6789");
            }));
    rows.put(
        "GET /admin/v1/merchants/{merchantId}/settlement_terms",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/merchants/" + merchantA + "/settlement_terms",
            null,
            answer -> {
              assertThat(ids(answer)).contains(termsA);
              assertThat(answer.toString()).doesNotContain(ACCOUNT_NUMBER);
            }));
    rows.put(
        "GET /admin/v1/audit_events",
        new Row(
            Group.ADMIN,
            200,
            403,
            () -> "/admin/v1/audit_events?action=merchant.created&target_id=" + merchantA,
            null,
            answer -> assertThat(answer.path("data").size()).isEqualTo(1)));
    return rows;
  }

  private static Row merchantRow(
      int allowed, int otherMerchant, Supplier<String> path, Consumer<JsonNode> check) {
    return new Row(Group.MERCHANT, allowed, otherMerchant, path, null, check);
  }

  private static Row staffRow(Supplier<String> path, Consumer<JsonNode> check) {
    return new Row(Group.OPERATOR, 200, 403, path, null, check);
  }

  private static Row financeRow(Supplier<String> path, Consumer<JsonNode> check) {
    return new Row(Group.FINANCE, 200, 403, path, null, check);
  }

  private static Consumer<JsonNode> idIs(Supplier<String> id) {
    return answer -> assertThat(answer.path("id").asString()).isEqualTo(id.get());
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(item -> ids.add(item.path("id").asString()));
    return ids;
  }

  // --- fixtures ---

  private JsonNode createMerchant(String name) throws Exception {
    HttpResponse<String> created =
        call("POST", "/admin/v1/merchants", "Bearer " + ADMIN_TOKEN, "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body());
  }

  private String revokedKey(String merchantId) throws Exception {
    JsonNode key =
        json.readTree(
            call(
                    "POST",
                    "/admin/v1/merchants/" + merchantId + "/api_keys",
                    "Bearer " + ADMIN_TOKEN,
                    null)
                .body());
    HttpResponse<String> revoked =
        call(
            "POST",
            "/admin/v1/merchants/"
                + merchantId
                + "/api_keys/"
                + key.path("id").asString()
                + "/revoke",
            "Bearer " + ADMIN_TOKEN,
            null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    return key.path("secret").asString();
  }

  private String newKeyId() {
    try {
      return json.readTree(
              call(
                      "POST",
                      "/admin/v1/merchants/" + merchantA + "/api_keys",
                      "Bearer " + ADMIN_TOKEN,
                      null)
                  .body())
          .path("id")
          .asString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String createPayment(String key, String description) throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/v1/payments",
            "Bearer " + key,
            "{\"amount\":2500,\"currency\":\"usd\",\"description\":\""
                + description
                + "\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,"
                + "\"exp_year\":2034,\"cvc\":\"123\"}}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 202);
    return json.readTree(created.body()).path("id").asString();
  }

  private String createEndpoint(String key) {
    try {
      HttpResponse<String> created =
          call(
              "POST",
              "/v1/webhook_endpoints",
              "Bearer " + key,
              "{\"url\":\"http://127.0.0.1:9/"
                  + MARKER
                  + "\",\"enabled_events\":[\"*\"],\"description\":\""
                  + MARKER
                  + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      return json.readTree(created.body()).path("id").asString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A settled refund row, as the refund workflow would have recorded it (no worker runs here). */
  private String insertRefund(String merchantId, String paymentId) {
    String id = "re_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO refunds (id, merchant_id, payment_id, amount, currency, status,
                                 last_sequence)
            VALUES (?, ?, ?, 100, 'USD', 'succeeded', 1)
            """)
        .params(id, merchantId, paymentId)
        .update();
    return id;
  }

  /** An event and its delivery to the endpoint, as the dispatcher would have made them. */
  private String insertDelivery(String merchantId, String endpointId, String paymentId) {
    String event = "evt_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO events (id, type, api_version, merchant_id, object_id, topic, payload,
                                created_at, published_at)
            VALUES (?, 'payment.succeeded', '2026-01-01', ?, ?, 'payrail.payments', '{}'::jsonb,
                    now(), now())
            """)
        .params(event, merchantId, paymentId)
        .update();
    String delivery = "whd_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, status)
            VALUES (?, ?, ?, ?, 'failed')
            """)
        .params(delivery, endpointId, event, merchantId)
        .update();
    return delivery;
  }

  private String termsBody() {
    return """
        {"effective_from":"%s","settlement_currency":"USD","fee_basis_points":290,"fee_fixed":30,
         "refund_fee_policy":"none","payout_delay_days":2,"minimum_payout":1000,
         "reserve_basis_points":0,"reserve_hold_days":0,"payout_rail":"ach",
         "bank_account":{"account_holder":"Matrix A","routing_number":"021000021",
                         "account_number":"%s"}}
        """
        .formatted(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1), ACCOUNT_NUMBER);
  }

  private String createTerms(String merchantId) throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/admin/v1/merchants/" + merchantId + "/settlement_terms",
            "Bearer " + ADMIN_TOKEN,
            termsBody());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body()).path("id").asString();
  }

  private String businessDateA() {
    return jdbc.sql("SELECT business_date::text FROM settlement_runs WHERE id = ?")
        .param(runA)
        .query(String.class)
        .single();
  }

  /** The rerun of a run (asked for by the reruns row), or 0 when there is none yet. */
  private long rerunOf(long run) {
    return jdbc.sql("SELECT coalesce(max(id), 0) FROM settlement_runs WHERE supersedes_run_id = ?")
        .param(run)
        .query(Long.class)
        .single();
  }

  /** A posted run on a business date of its own, as the settlement workflow would record it. */
  private long insertRun() {
    String date =
        java.time.LocalDate.of(1990, 1, 1)
            .plusDays(java.util.concurrent.ThreadLocalRandom.current().nextInt(0, 3000))
            .toString();
    return jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                window_start, window_end, status, requested_by)
            VALUES ('USD', ?::date, 1, ?, now() - interval '1 day', now(), 'posted', 'schedule')
            RETURNING id
            """)
        .params(date, "settlement-USD-" + date + "-1")
        .query(Long.class)
        .single();
  }

  private String insertPayoutFile(long run) {
    String id = "pf_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO payout_files (id, run_id, rail, currency, format, file_name, sha256,
                entry_count, total_amount, status)
            VALUES (?, ?, 'ach', 'USD', 'nacha', ?, ?, 1, 2500, 'validated')
            """)
        .params(id, run, id + ".ach", "cd".repeat(32))
        .update();
    return id;
  }

  private String insertPayout(String merchantId, long run, String terms, String file) {
    String id = "po_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO payouts (id, merchant_id, run_id, terms_id, currency, amount, rail,
                                 status, payout_file_id)
            VALUES (?, ?, ?, ?, 'USD', 2500, 'ach', 'pending', ?)
            """)
        .params(id, merchantId, run, Long.parseLong(terms), file)
        .update();
    return id;
  }

  /** A reconciled settlement report, as the reconciliation workflow would have stored it. */
  private String insertReport() {
    String id = "sr_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO settlement_reports (id, currency, report_date, sha256, line_count,
                total_gross, total_fee, total_net, status, matched_count, break_count,
                workflow_id, reconciled_at)
            VALUES (?, 'USD', '2026-01-01', ?, 0, 0, 0, 0, 'reconciled', 0, 0,
                    'reconciliation-USD-2026-01-01', now())
            """)
        .params(id, alphanumeric(32) + alphanumeric(32))
        .update();
    return id;
  }

  /** An open break of the report: a line the bank reported that Payrail has no item for. */
  private String insertBreak(String reportId) {
    String id = "rb_" + alphanumeric(24);
    jdbc.sql(
            """
            INSERT INTO reconciliation_breaks (id, report_id, kind, reference, currency,
                                               reported_amount, status)
            VALUES (?, ?, 'unexpected', ?, 'USD', 1000, 'open')
            """)
        .params(id, reportId, "sim-extra-" + id + ":capture")
        .update();
    return id;
  }

  private static String alphanumeric(int length) {
    String hex = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    return hex.substring(0, length);
  }

  // --- tokens ---

  /**
   * A real token of a user with every role, from a client whose tokens live one second, used once
   * it has expired (past the api's clock skew).
   */
  /**
   * A live token of the right realm, signed by its key, holding every staff role, but issued to a
   * client whose tokens do not name the api in {@code aud}: only the audience check refuses it.
   */
  private String tokenNotForTheApi(KeycloakDevServer keycloak) {
    String client = "matrix-other-audience-" + KeycloakDevServer.randomHex().substring(0, 8);
    keycloak.createPasswordClient(client, Duration.ofHours(1), false);
    String user = "all-roles-" + KeycloakDevServer.randomHex().substring(0, 8);
    String password = KeycloakDevServer.randomHex();
    for (String role : List.of("operator", "finance", "admin")) {
      keycloak.createUser(user, password, role);
    }
    return keycloak.accessToken(client, user, password);
  }

  private String expiredToken(KeycloakDevServer keycloak) throws Exception {
    String client = "matrix-short-" + KeycloakDevServer.randomHex().substring(0, 8);
    keycloak.createPasswordClient(client, Duration.ofSeconds(1));
    String user = "everyone-" + KeycloakDevServer.randomHex().substring(0, 8);
    String password = KeycloakDevServer.randomHex();
    for (String role : List.of("operator", "finance", "admin")) {
      keycloak.createUser(user, password, role);
    }
    String token = keycloak.accessToken(client, user, password);
    Instant expires = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    Instant usable = expires.plus(CLOCK_SKEW).plusSeconds(1);
    while (Instant.now().isBefore(usable)) {
      Thread.sleep(Duration.between(Instant.now(), usable).toMillis() + 50);
    }
    return token;
  }

  private String keycloakKeyId(KeycloakDevServer keycloak) throws Exception {
    HttpResponse<String> keys =
        http.send(
            HttpRequest.newBuilder(URI.create(keycloak.jwkSetUri()))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (JsonNode key : json.readTree(keys.body()).path("keys")) {
      if ("RS256".equals(key.path("alg").asString())) {
        return key.path("kid").asString();
      }
    }
    throw new IllegalStateException("Keycloak publishes no RS256 key: " + keys.body());
  }

  /** Claims that would open every staff endpoint, were the token believed. */
  private static JWTClaimsSet everyRole(String issuer) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(List.of(KeycloakDevServer.API_CLIENT))
        .subject(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("preferred_username", "mallory")
        .claim("realm_access", Map.of("roles", List.of("operator", "finance", "admin")))
        .build();
  }

  /** Signed RS256 with a key of the test's own, under {@code keyId} (Keycloak's, if given). */
  private static String forged(String issuerBase, String keyId) throws Exception {
    String issuer =
        issuerBase.endsWith("/realms/" + KeycloakDevServer.REALM)
            ? issuerBase
            : issuerBase + "/realms/" + KeycloakDevServer.REALM;
    RSAKey key =
        new RSAKeyGenerator(2048)
            .keyID(keyId == null ? UUID.randomUUID().toString() : keyId)
            .generate();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            everyRole(issuer));
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String unsigned(String issuer) {
    return new PlainJWT(everyRole(issuer)).serialize();
  }

  // --- HTTP ---

  private HttpResponse<String> call(String method, String path, String credential, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Idempotency-Key", UUID.randomUUID().toString());
    if (credential != null) {
      request.header("Authorization", credential);
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
