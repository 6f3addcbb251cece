package io.payrail.notifysim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers Payrail notifies people through, as real network peers on loopback: an SMTP server,
 * and an HTTP API for SMS and push in the style of Twilio's and FCM's.
 *
 * <pre>
 * SMTP  127.0.0.1:{smtpPort}               any recipient, no authentication
 * POST  /v1/sms    {to, body}              Idempotency-Key header required; 201 {id, status}
 * POST  /v1/push   {device_token, title, body}
 * GET   /sim/messages                      everything received: {email: [...], sms: [...], push: [...]}
 * PUT   /sim/faults {error_rate, latency_ms}      POST /sim/reset
 * </pre>
 *
 * <p>Refused recipients, to test permanent failures: the number {@value #INVALID_NUMBER} (400
 * {@code invalid_number}) and device tokens starting with {@value #UNREGISTERED_PREFIX} (410 {@code
 * unregistered}). The same Idempotency-Key with the same body answers the first response again and
 * sends nothing; with another body it answers 422.
 */
public final class NotificationSimulator implements AutoCloseable {

  public static final String INVALID_NUMBER = "+15005550001";
  public static final String UNREGISTERED_PREFIX = "unregistered";

  private static final Logger log = LoggerFactory.getLogger(NotificationSimulator.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern DEVICE_TOKEN = Pattern.compile("[A-Za-z0-9_:.-]{8,512}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService executor;
  private final MailServer mail;
  private final JsonMapper json = JsonMapper.builder().build();
  private final List<Received.Sms> sms = new CopyOnWriteArrayList<>();
  private final List<Received.Push> pushes = new CopyOnWriteArrayList<>();
  private final Map<String, Answered> answered = new ConcurrentHashMap<>();
  private volatile ProviderFaults faults = ProviderFaults.NONE;

  /** A response kept under its idempotency key, with the body it answered. */
  private record Answered(JsonNode request, Answer answer) {}

  private record Answer(int status, Map<String, Object> body) {

    static Answer error(int status, String code, String message) {
      return new Answer(status, Map.of("error", Map.of("code", code, "message", message)));
    }
  }

  private NotificationSimulator(HttpServer server, ExecutorService executor, MailServer mail) {
    this.server = server;
    this.executor = executor;
    this.mail = mail;
  }

  /** Starts both servers on 127.0.0.1 (a port of 0 = any free port). */
  public static NotificationSimulator start(int httpPort, int smtpPort) {
    MailServer mail = MailServer.start(smtpPort);
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 128);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      NotificationSimulator simulator = new NotificationSimulator(server, executor, mail);
      server.createContext("/", simulator::handle);
      server.start();
      return simulator;
    } catch (IOException e) {
      mail.close();
      throw new UncheckedIOException(
          "the notification simulator could not listen on port " + httpPort, e);
    } catch (RuntimeException e) {
      mail.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public int smtpPort() {
    return mail.port();
  }

  public void setFaults(ProviderFaults faults) {
    this.faults = faults;
  }

  public List<Received.Email> emails() {
    return mail.emails();
  }

  public List<Received.Sms> sms() {
    return List.copyOf(sms);
  }

  public List<Received.Push> pushes() {
    return List.copyOf(pushes);
  }

  /** Forgets everything received and every fault. */
  public void reset() {
    mail.reset();
    sms.clear();
    pushes.clear();
    answered.clear();
    faults = ProviderFaults.NONE;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    mail.close();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      Answer answer =
          switch (route) {
            case "POST /v1/sms", "POST /v1/push" -> provider(exchange, route.endsWith("sms"));
            case "GET /sim/messages" -> new Answer(200, messages());
            case "PUT /sim/faults" -> setFaults(readJson(exchange));
            case "POST /sim/reset" -> {
              reset();
              yield new Answer(200, messages());
            }
            default -> Answer.error(404, "no_such_endpoint", route);
          };
      respond(exchange, answer);
    } catch (IOException e) {
      log.debug("client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("notification simulator failure", e);
    }
  }

  private Answer provider(HttpExchange exchange, boolean isSms) throws IOException {
    ProviderFaults current = faults;
    pause(current.latencyMillis());
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null || !KEY.matcher(key).matches()) {
      return Answer.error(400, "idempotency_key_required", "Idempotency-Key: 1-255 characters");
    }
    JsonNode body = readJson(exchange);
    if (body == null) {
      return Answer.error(400, "invalid_json", "the body is not a JSON object");
    }
    if (ThreadLocalRandom.current().nextDouble() < current.errorRate()) {
      return Answer.error(503, "simulated_outage", "try again");
    }
    String scopedKey = (isSms ? "sms:" : "push:") + key;
    Answered first =
        answered.computeIfAbsent(
            scopedKey, k -> new Answered(body, isSms ? sendSms(body, key) : sendPush(body, key)));
    if (!first.request().equals(body)) {
      return Answer.error(
          422, "idempotency_mismatch", "this Idempotency-Key was used with another body");
    }
    return first.answer();
  }

  private Answer sendSms(JsonNode body, String key) {
    String to = body.path("to").asString("");
    String text = body.path("body").asString("");
    if (!PHONE.matcher(to).matches()) {
      return Answer.error(400, "invalid_to", "to: a phone number in E.164 form");
    }
    if (text.isEmpty() || text.length() > 1600) {
      return Answer.error(400, "invalid_body", "body: 1 to 1600 characters");
    }
    if (to.equals(INVALID_NUMBER)) {
      return Answer.error(400, "invalid_number", "this number cannot receive messages");
    }
    String id = "sms_" + randomId();
    sms.add(new Received.Sms(id, to, text, key, Instant.now()));
    return new Answer(201, Map.of("id", id, "status", "queued"));
  }

  private Answer sendPush(JsonNode body, String key) {
    String token = body.path("device_token").asString("");
    String title = body.path("title").asString("");
    String text = body.path("body").asString("");
    if (!DEVICE_TOKEN.matcher(token).matches()) {
      return Answer.error(400, "invalid_device_token", "device_token: 8 to 512 token characters");
    }
    if (title.isEmpty() || title.length() > 200 || text.length() > 4000) {
      return Answer.error(400, "invalid_message", "title: 1 to 200 characters, body: up to 4000");
    }
    if (token.startsWith(UNREGISTERED_PREFIX)) {
      return Answer.error(410, "unregistered", "the app was removed from this device");
    }
    String id = "psh_" + randomId();
    pushes.add(new Received.Push(id, token, title, text, key, Instant.now()));
    return new Answer(201, Map.of("id", id, "status", "queued"));
  }

  private Map<String, Object> messages() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("email", new ArrayList<>(mail.emails()));
    all.put("sms", sms());
    all.put("push", pushes());
    return all;
  }

  private Answer setFaults(JsonNode body) {
    if (body == null) {
      return Answer.error(400, "invalid_json", "the body is not a JSON object");
    }
    try {
      ProviderFaults base = faults;
      faults =
          new ProviderFaults(
              body.path("error_rate").asDouble(base.errorRate()),
              body.path("latency_ms").asLong(base.latencyMillis()));
      return new Answer(
          200, Map.of("error_rate", faults.errorRate(), "latency_ms", faults.latencyMillis()));
    } catch (IllegalArgumentException e) {
      return Answer.error(400, "invalid_faults", e.getMessage());
    }
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

  private void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] body = json.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length);
    exchange.getResponseBody().write(body);
  }

  private static String randomId() {
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(id);
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
