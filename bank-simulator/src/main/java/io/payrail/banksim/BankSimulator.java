package io.payrail.banksim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An acquiring bank on loopback, spoken to over HTTP and JSON like a real one. Every operation
 * carries the caller's {@code request_id} and is idempotent by it; an inquiry tells what became of
 * a request id; {@code /sim} endpoints set faults and show what was charged.
 *
 * <pre>
 * POST /v1/authorizations                  {request_id, amount, currency, card: {number, exp_month, exp_year, cvc}}
 * POST /v1/authorizations/{id}/capture     {request_id, amount}
 * POST /v1/authorizations/{id}/void        {request_id}
 * POST /v1/authorizations/{id}/refunds     {request_id, amount}
 * GET  /v1/requests/{request_id}           inquiry: the recorded answer, or 404 request_unknown
 * GET  /v1/settlement_reports?date=YYYY-MM-DD&amp;currency=USD   what it settled that day, CSV ({@link SettlementReports})
 * POST /v1/payout_files                    a payout file's bytes, header X-File-Name ({@link PayoutFiles})
 * GET  /v1/payout_files/{id}               received, then accepted (entries paid/returned) or rejected
 * GET  /sim/stats   PUT /sim/faults   POST /sim/reset
 * </pre>
 *
 * <p>The simulator never logs or returns a card number.
 */
public final class BankSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BankSimulator.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern AUTHORIZATION_ACTION =
      Pattern.compile("/v1/authorizations/([A-Za-z0-9_]{1,64})/(capture|void|refunds)");
  private static final Pattern INQUIRY = Pattern.compile("/v1/requests/([A-Za-z0-9_.:-]{1,128})");

  private final HttpServer server;
  private final ExecutorService executor;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Bank bank = new Bank();
  private final SettlementReports reports;
  private final PayoutFiles payoutFiles = new PayoutFiles();
  private volatile Faults faults;

  private BankSimulator(HttpServer server, ExecutorService executor, Faults faults, Clock clock) {
    this.server = server;
    this.executor = executor;
    this.faults = faults;
    this.reports = new SettlementReports(clock);
  }

  /** Starts on {@code 127.0.0.1:port} (0 = any free port). */
  public static BankSimulator start(int port, Faults faults) {
    return start(port, faults, Clock.systemUTC());
  }

  /**
   * Starts with {@code clock} as the bank's clock, which decides the day each capture and refund is
   * settled on (tests pin it away from midnight).
   */
  public static BankSimulator start(int port, Faults faults, Clock clock) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      BankSimulator simulator = new BankSimulator(server, executor, faults, clock);
      server.createContext("/", simulator::handle);
      server.start();
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException("the bank simulator could not listen on port " + port, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public void setFaults(Faults faults) {
    this.faults = faults;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.startsWith("/sim/")) {
        respond(exchange, simulatorControl(method, path, exchange));
      } else if (path.startsWith("/v1/payout_files")) {
        respond(exchange, payoutFile(method, path, exchange));
      } else {
        bankOperation(exchange, method, path);
      }
    } catch (IOException e) {
      log.debug("client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("bank simulator failure", e);
    }
  }

  private void bankOperation(HttpExchange exchange, String method, String path) throws IOException {
    Faults current = faults;
    pause(current.latencyMillis() + jitter(current.jitterMillis()));
    Matcher inquiry = INQUIRY.matcher(path);
    if (method.equals("GET") && inquiry.matches()) {
      respond(exchange, bank.inquire(inquiry.group(1)));
      return;
    }
    if (method.equals("GET") && path.equals("/v1/settlement_reports")) {
      settlementReport(exchange);
      return;
    }
    if (!method.equals("POST")) {
      respond(exchange, BankOutcome.error(405, "method_not_allowed", method + " " + path));
      return;
    }
    JsonNode body = readJson(exchange);
    if (body == null) {
      respond(exchange, BankOutcome.error(400, "invalid_json", "the body is not a JSON object"));
      return;
    }
    String requestId = body.path("request_id").asString("");
    if (!REQUEST_ID.matcher(requestId).matches()) {
      respond(
          exchange,
          BankOutcome.error(400, "invalid_request_id", "request_id: 1-128 of [A-Za-z0-9_.:-]"));
      return;
    }
    double dice = ThreadLocalRandom.current().nextDouble();
    if (dice < current.errorRate()) {
      respond(exchange, BankOutcome.error(503, "simulated_outage", "try again"));
      return;
    }
    boolean silent = dice < current.errorRate() + current.silentRate();
    Operation operation = route(path, body, requestId);
    BankOutcome outcome = bank.once(requestId, operation.name(), body, operation.run());
    if (silent || operation.card() == TestCard.NEVER_ANSWERS) {
      pause(current.hangMillis());
      return;
    }
    if (operation.card() == TestCard.SLOW) {
      pause(current.slowMillis());
    }
    respond(exchange, outcome);
  }

  private BankOutcome payoutFile(String method, String path, HttpExchange exchange)
      throws IOException {
    if (method.equals("POST") && path.equals("/v1/payout_files")) {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(PayoutFiles.MAX_FILE_BYTES + 1);
        return payoutFiles.upload(exchange.getRequestHeaders().getFirst("X-File-Name"), bytes);
      }
    }
    if (method.equals("GET")) {
      return payoutFiles.status(path);
    }
    return BankOutcome.error(405, "method_not_allowed", method + " " + path);
  }

  /** A bank operation, not yet run, with the card it concerns (for the test-card behaviours). */
  private record Operation(
      String name, TestCard card, java.util.function.Supplier<BankOutcome> run) {}

  private Operation route(String path, JsonNode body, String requestId) {
    if (path.equals("/v1/authorizations")) {
      String number = body.path("card").path("number").asString("");
      TestCard card = TestCard.of(number);
      return new Operation("authorize", card, () -> authorize(body, requestId, card));
    }
    Matcher action = AUTHORIZATION_ACTION.matcher(path);
    if (!action.matches()) {
      return new Operation("unknown", null, () -> BankOutcome.error(404, "no_such_endpoint", path));
    }
    String authorizationId = action.group(1);
    return switch (action.group(2)) {
      case "capture" ->
          new Operation(
              "capture",
              null,
              () ->
                  reports.settling(
                      requestId,
                      "capture",
                      withAmount(body, amount -> bank.capture(authorizationId, amount))));
      case "void" -> new Operation("void", null, () -> bank.voidAuthorization(authorizationId));
      default ->
          new Operation(
              "refund",
              null,
              () ->
                  reports.settling(
                      requestId,
                      "refund",
                      withAmount(body, amount -> bank.refund(authorizationId, amount))));
    };
  }

  private BankOutcome authorize(JsonNode body, String requestId, TestCard card) {
    String currency = body.path("currency").asString("");
    if (!currency.matches("[A-Z]{3}")) {
      return BankOutcome.error(400, "invalid_currency", "currency: three capital letters");
    }
    if (!body.path("card").path("number").asString("").matches("\\d{12,19}")) {
      return BankOutcome.error(400, "invalid_card", "card.number: 12 to 19 digits");
    }
    if (card == TestCard.PROCESSING_ERROR
        && bank.attempt(requestId) <= TestCard.PROCESSING_ERROR_ATTEMPTS) {
      return BankOutcome.error(503, "processing_error", "the issuer could not be reached; retry");
    }
    return withAmount(body, amount -> bank.authorize(amount, currency, card));
  }

  private static BankOutcome withAmount(
      JsonNode body, java.util.function.LongFunction<BankOutcome> operation) {
    JsonNode amount = body.path("amount");
    if (!amount.isIntegralNumber() || !amount.canConvertToLong() || amount.asLong() <= 0) {
      return BankOutcome.error(400, "invalid_amount", "amount: a positive integer of minor units");
    }
    return operation.apply(amount.asLong());
  }

  private BankOutcome simulatorControl(String method, String path, HttpExchange exchange)
      throws IOException {
    return switch (method + " " + path) {
      case "GET /sim/stats" -> BankOutcome.ok(bank.stats());
      case "GET /sim/faults" -> BankOutcome.ok(faultsView(faults));
      case "PUT /sim/faults" -> {
        JsonNode body = readJson(exchange);
        if (body == null) {
          yield BankOutcome.error(400, "invalid_json", "the body is not a JSON object");
        }
        try {
          Faults base = faults;
          Faults next =
              new Faults(
                  body.path("error_rate").asDouble(base.errorRate()),
                  body.path("silent_rate").asDouble(base.silentRate()),
                  body.path("latency_ms").asLong(base.latencyMillis()),
                  body.path("jitter_ms").asLong(base.jitterMillis()),
                  body.path("hang_ms").asLong(base.hangMillis()),
                  body.path("slow_ms").asLong(base.slowMillis()));
          ReportFaults reportFaults =
              body.has("report")
                  ? new ReportFaults(
                      body.path("report").path("drop").asInt(0),
                      body.path("report").path("extra").asInt(0),
                      body.path("report").path("alter_amount").asInt(0),
                      body.path("report").path("duplicate").asInt(0))
                  : null;
          // Every part validated before any applies: a refused body changes nothing.
          payoutFiles.configure(body);
          if (reportFaults != null) {
            reports.setFaults(reportFaults);
          }
          faults = next;
          yield BankOutcome.ok(faultsView(faults));
        } catch (IllegalArgumentException e) {
          yield BankOutcome.error(400, "invalid_faults", e.getMessage());
        }
      }
      case "POST /sim/reset" -> {
        bank.reset();
        reports.reset();
        payoutFiles.reset();
        faults = Faults.NONE;
        yield BankOutcome.ok(bank.stats());
      }
      default -> BankOutcome.error(404, "no_such_endpoint", method + " " + path);
    };
  }

  private Map<String, Object> faultsView(Faults f) {
    ReportFaults report = reports.faults();
    Map<String, Object> view = new java.util.LinkedHashMap<>(payoutFiles.faultsView());
    view.put(
        "report",
        Map.of(
            "drop", report.drop(),
            "extra", report.extra(),
            "alter_amount", report.alterAmount(),
            "duplicate", report.duplicate()));
    view.putAll(
        Map.of(
            "error_rate", f.errorRate(),
            "silent_rate", f.silentRate(),
            "latency_ms", f.latencyMillis(),
            "jitter_ms", f.jitterMillis(),
            "hang_ms", f.hangMillis(),
            "slow_ms", f.slowMillis()));
    return view;
  }

  /** {@code GET /v1/settlement_reports?date=YYYY-MM-DD&currency=USD}: text/csv, or a 400. */
  private void settlementReport(HttpExchange exchange) throws IOException {
    Map<String, String> query = new java.util.HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        query.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    String currency = query.getOrDefault("currency", "");
    if (!currency.matches("[A-Z]{3}")) {
      respond(
          exchange, BankOutcome.error(400, "invalid_currency", "currency: three capital letters"));
      return;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(query.getOrDefault("date", ""));
    } catch (DateTimeException e) {
      respond(exchange, BankOutcome.error(400, "invalid_date", "date: YYYY-MM-DD"));
      return;
    }
    byte[] csv = reports.csv(date, currency).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
    exchange.sendResponseHeaders(200, csv.length);
    exchange.getResponseBody().write(csv);
  }

  /** The body as a JSON object, or null when it is not one (or is too large). */
  private JsonNode readJson(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        return null;
      }
      JsonNode node = json.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  private void respond(HttpExchange exchange, BankOutcome outcome) throws IOException {
    byte[] body = json.writeValueAsBytes(outcome.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(outcome.status(), body.length);
    exchange.getResponseBody().write(body);
  }

  private static long jitter(long max) {
    return max == 0 ? 0 : ThreadLocalRandom.current().nextLong(max + 1);
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
