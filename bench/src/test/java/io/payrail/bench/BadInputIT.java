package io.payrail.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.localstack.LocalStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input against the running api: huge bodies, deep nesting, invalid UTF-8, injection
 * strings, overflowing amounts, wrong content types, header floods. Each answer must be a 4xx error
 * object (JSON, naming the field where there is one), never a 5xx or an HTML page, and the api must
 * still take a payment afterwards. Writes its counts to target/bad-input-results.md.
 */
class BadInputIT {

  private static LocalStack stack;
  private static String key;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final JsonMapper json = JsonMapper.builder().build();

  private static final String CARD =
      "\"card\": {\"number\": \"4242424242424242\", \"exp_month\": 12, \"exp_year\": 2034,"
          + " \"cvc\": \"123\"}";

  @BeforeAll
  static void startStack() throws Exception {
    stack = TestStacks.start("bad-input-it", Map.of());
    key = stack.demoMerchant().apiKey();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** One hostile request and the answers it may get. */
  record Case(
      String name,
      Function<HttpRequest.Builder, HttpRequest.Builder> request,
      Set<Integer> statuses,
      String param) {}

  private static Function<HttpRequest.Builder, HttpRequest.Builder> postJson(
      String path, String body) {
    return b ->
        b.uri(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static Function<HttpRequest.Builder, HttpRequest.Builder> payment(String fields) {
    return postJson("/v1/payments", "{" + fields + "}");
  }

  private static Function<HttpRequest.Builder, HttpRequest.Builder> get(String path) {
    return b -> b.uri(uri(path)).GET();
  }

  private static URI uri(String path) {
    return URI.create(stack.apiUrl() + path);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, UTF_8);
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    Set<Integer> bad = Set.of(400);
    // Size and shape
    cases.add(
        new Case(
            "2 MiB body",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", "
                    + CARD
                    + ", \"description\": \""
                    + "x".repeat(2 * 1024 * 1024)
                    + "\""),
            Set.of(413),
            null));
    cases.add(
        new Case(
            "JSON nested 5,000 deep",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", "
                    + CARD
                    + ", \"metadata\": "
                    + "{\"a\":".repeat(5_000)
                    + "1"
                    + "}".repeat(5_000)),
            Set.of(400, 413),
            null));
    cases.add(
        new Case(
            "array nested 50,000 deep",
            postJson("/v1/payments", "[".repeat(50_000) + "]".repeat(50_000)),
            Set.of(400, 413),
            null));
    cases.add(
        new Case(
            "invalid UTF-8",
            b ->
                b.uri(uri("/v1/payments"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            concat(
                                "{\"amount\": 100, \"currency\": \"usd\", \"description\": \"",
                                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                                "\", " + CARD + "}"))),
            bad,
            null));
    cases.add(new Case("not JSON", postJson("/v1/payments", "amount=100&currency=usd"), bad, null));
    cases.add(new Case("empty body", postJson("/v1/payments", ""), bad, null));
    cases.add(new Case("JSON null", postJson("/v1/payments", "null"), bad, null));
    cases.add(
        new Case(
            "duplicate key (amount twice)",
            payment("\"amount\": 100, \"amount\": 100000, \"currency\": \"usd\", " + CARD),
            bad,
            null));
    cases.add(
        new Case(
            "unknown field",
            payment("\"amount\": 100, \"currency\": \"usd\", \"amout\": 1, " + CARD),
            bad,
            "amout"));
    // Amounts
    for (String amount :
        List.of(
            "9223372036854775808", "1e30", "-5", "0", "1.5", "\"100\"", "null", "100000000000")) {
      cases.add(
          new Case(
              "amount " + amount,
              payment("\"amount\": " + amount + ", \"currency\": \"usd\", " + CARD),
              bad,
              "amount"));
    }
    cases.add(
        new Case(
            "currency that does not exist",
            payment("\"amount\": 100, \"currency\": \"xxx\", " + CARD),
            bad,
            "currency"));
    cases.add(
        new Case(
            "card number with letters",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"card\": {\"number\": \"4242abcd42424242\","
                    + " \"exp_month\": 12, \"exp_year\": 2034, \"cvc\": \"123\"}"),
            Set.of(400, 402),
            null));
    // Injection strings: refused, or stored as text
    cases.add(
        new Case(
            "NUL character in description",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"description\": \"a\\u0000b\", " + CARD),
            bad,
            "description"));
    cases.add(
        new Case(
            "SQL in description",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"description\": \"'; DROP TABLE payments;"
                    + " --\", "
                    + CARD),
            Set.of(200, 201),
            null));
    cases.add(
        new Case(
            "JSON in metadata value",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"metadata\": {\"k\": \"\\\"}],"
                    + " \\\"amount\\\": 1\"}, "
                    + CARD),
            Set.of(200, 201),
            null));
    cases.add(
        new Case(
            "metadata with 200 keys",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"metadata\": {"
                    + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 200)
                            .mapToObj(i -> "\"k" + i + "\": \"v\"")
                            .toList())
                    + "}, "
                    + CARD),
            bad,
            "metadata"));
    cases.add(
        new Case(
            "metadata value that is an object",
            payment(
                "\"amount\": 100, \"currency\": \"usd\", \"metadata\": {\"k\": {\"x\": 1}}, "
                    + CARD),
            bad,
            null));
    cases.add(
        new Case(
            "SQL in status filter",
            get("/v1/payments?status=" + q("succeeded' OR '1'='1")),
            bad,
            "status"));
    cases.add(
        new Case(
            "SQL in cursor",
            get("/v1/payments?starting_after=" + q("pay_' OR 1=1 --")),
            Set.of(400, 404),
            null));
    cases.add(new Case("limit 1e9", get("/v1/payments?limit=1000000000"), bad, "limit"));
    cases.add(new Case("limit -1", get("/v1/payments?limit=-1"), bad, "limit"));
    cases.add(
        new Case(
            "created filter not a number", get("/v1/payments?created[gte]=yesterday"), bad, null));
    cases.add(
        new Case(
            "id with SQL", get("/v1/payments/" + q("pay_1' OR '1'='1")), Set.of(400, 404), null));
    cases.add(
        new Case(
            "id with encoded slashes",
            get("/v1/payments/..%2F..%2Fadmin"),
            Set.of(400, 404),
            null));
    cases.add(new Case("empty path segment", get("/v1/payments//capture"), Set.of(400), null));
    cases.add(
        new Case(
            "id 10,000 characters",
            get("/v1/payments/pay_" + "a".repeat(10_000)),
            Set.of(400, 404, 414, 431),
            null));
    // Content types
    cases.add(
        new Case(
            "text/plain",
            b ->
                b.uri(uri("/v1/payments"))
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 100}")),
            Set.of(415),
            null));
    cases.add(
        new Case(
            "application/xml",
            b ->
                b.uri(uri("/v1/payments"))
                    .header("Content-Type", "application/xml")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "<payment><amount>1</amount></payment>")),
            Set.of(415),
            null));
    cases.add(
        new Case(
            "no content type",
            b -> b.uri(uri("/v1/payments")).POST(HttpRequest.BodyPublishers.ofString("{}")),
            Set.of(415, 400),
            null));
    cases.add(
        new Case(
            "form post",
            b ->
                b.uri(uri("/v1/payments"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("amount=100&currency=usd")),
            Set.of(415),
            null));
    // Headers
    cases.add(
        new Case(
            "header flood (400 headers)",
            b -> {
              for (int i = 0; i < 400; i++) {
                b.header("X-Flood-" + i, "v".repeat(40));
              }
              return b.uri(uri("/v1/payments")).GET();
            },
            Set.of(400, 431),
            null));
    cases.add(
        new Case(
            "one 20 KB header",
            b -> b.uri(uri("/v1/payments")).header("X-Big", "v".repeat(20_000)).GET(),
            Set.of(400, 431),
            null));
    cases.add(
        new Case(
            "Idempotency-Key of 10,000 characters",
            b ->
                payment("\"amount\": 100, \"currency\": \"usd\", " + CARD)
                    .apply(b)
                    .header("Idempotency-Key", "k".repeat(10_000)),
            bad,
            null));
    return cases;
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    byte[] a = before.getBytes(UTF_8);
    byte[] c = after.getBytes(UTF_8);
    byte[] all = new byte[a.length + middle.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(middle, 0, all, a.length, middle.length);
    System.arraycopy(c, 0, all, a.length + middle.length, c.length);
    return all;
  }

  @Test
  void everyHostileRequest_getsA4xxErrorObject_andTheApiStillServes() throws Exception {
    List<String> failures = new ArrayList<>();
    StringBuilder md =
        new StringBuilder("| input | status | error code | param |\n|---|---:|---|---|\n");
    for (Case c : cases()) {
      HttpRequest request =
          c.request()
              .apply(
                  HttpRequest.newBuilder()
                      .timeout(Duration.ofSeconds(30))
                      .header("Authorization", "Bearer " + key))
              .build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        failures.add(c.name() + ": no answer (" + e + ")");
        continue;
      }
      int status = response.statusCode();
      String type = response.headers().firstValue("Content-Type").orElse("");
      JsonNode error = json.createObjectNode();
      if (type.contains("json") && !response.body().isEmpty()) {
        error = json.readTree(response.body()).path("error");
      }
      md.append("| ")
          .append(c.name())
          .append(" | ")
          .append(status)
          .append(" | ")
          .append(error.path("code").asString(""))
          .append(" | ")
          .append(error.path("param").asString(""))
          .append(" |\n");
      if (!c.statuses().contains(status)) {
        failures.add(c.name() + ": " + status + " " + abbreviated(response.body()));
      } else if (status >= 400 && !type.contains("json")) {
        failures.add(c.name() + ": " + status + " answered " + type + ", not a JSON error object");
      } else if (status >= 400 && error.path("code").asString("").isEmpty()) {
        failures.add(
            c.name()
                + ": "
                + status
                + " "
                + abbreviated(response.body())
                + ", not Payrail's error object");
      } else if (status >= 400
          && c.param() != null
          && !c.param().equals(error.path("param").asString(""))) {
        failures.add(c.name() + ": error names " + error.path("param") + ", not " + c.param());
      }
    }
    Files.writeString(Path.of("target/bad-input-results.md"), md);

    assertThat(failures).isEmpty();
    // Still serving, and nothing was dropped.
    HttpResponse<String> payment =
        http.send(
            HttpRequest.newBuilder(uri("/v1/payments"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"amount\": 100, \"currency\": \"usd\", " + CARD + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(payment.statusCode()).as(payment.body()).isIn(200, 201);
    assertThat(json.readTree(payment.body()).path("status").asString()).isEqualTo("succeeded");
  }

  /** Schemathesis from PyPI, pinned; installed into the project's tools folder when missing. */
  static final String SCHEMATHESIS = "schemathesis==4.32.5";

  /**
   * Schemathesis generates requests from the OpenAPI document the api serves (examples, boundary
   * values, then random ones, valid and invalid) with a valid API key, and checks each answer: no
   * 5xx, a documented status, the documented content type and schema, invalid data refused.
   */
  @Test
  void schemathesis_againstTheServedOpenApiDocument_findsNoServerErrorAndNoSchemaViolation()
      throws Exception {
    Path tools = TestStacks.repoRoot().resolve(".payrail/tools/schemathesis");
    String python = System.getenv().getOrDefault("PAYRAIL_PYTHON", "python3");
    if (!Files.exists(tools.resolve("schemathesis/__init__.py"))) {
      run(
          List.of(
              python,
              "-m",
              "pip",
              "install",
              "--quiet",
              "--disable-pip-version-check",
              "--no-warn-script-location",
              "--upgrade",
              "--target",
              tools.toString(),
              SCHEMATHESIS),
          Map.of(),
          Path.of("target/schemathesis-install.log"));
    }
    Path log = Path.of("target/schemathesis.log");
    int exit =
        run(
            List.of(
                python,
                "-m",
                "schemathesis.cli",
                "run",
                stack.apiUrl() + "/v3/api-docs",
                "--header",
                "Authorization: Bearer " + key,
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,"
                    + "response_schema_conformance,negative_data_rejection",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                System.getProperty("schemathesis.max-examples", "25"),
                "--exclude-path-regex",
                "^/admin",
                "--request-timeout",
                "60",
                "--seed",
                "20261124",
                "--no-color",
                "--report",
                "junit",
                "--report-junit-path",
                "target/schemathesis-junit.xml"),
            Map.of("PYTHONPATH", tools.toString()),
            log);
    String output = Files.readString(log);
    java.util.regex.Matcher counts =
        java.util.regex.Pattern.compile("(\\d+) generated, (\\d+) passed").matcher(output);
    assertThat(exit).as(output.substring(Math.max(0, output.length() - 4000))).isZero();
    assertThat(counts.find()).as(output).isTrue();
    Files.writeString(
        Path.of("target/schemathesis-results.md"),
        "Schemathesis "
            + SCHEMATHESIS
            + ": "
            + counts.group(1)
            + " requests generated, "
            + counts.group(2)
            + " passed every check\n");
  }

  private static int run(List<String> command, Map<String, String> environment, Path log)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command.get(2) + " did not finish in 15 minutes; see " + log);
    }
    return process.exitValue();
  }

  private static String abbreviated(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
