package io.payrail.notifysim;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NotificationSimulatorTest {

  private static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static NotificationSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = NotificationSimulator.start(0, 0);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  @Test
  void sms_isAcceptedOnce_perIdempotencyKey() throws Exception {
    String body = "{\"to\":\"+15551234567\",\"body\":\"Webhook endpoint disabled\"}";

    HttpResponse<String> first = post("/v1/sms", "ntf_1", body);
    HttpResponse<String> again = post("/v1/sms", "ntf_1", body);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(simulator.sms()).hasSize(1);
    assertThat(simulator.sms().getFirst().to()).isEqualTo("+15551234567");
    assertThat(simulator.sms().getFirst().body()).isEqualTo("Webhook endpoint disabled");
    assertThat(post("/v1/sms", "ntf_1", body.replace("disabled", "enabled")).statusCode())
        .isEqualTo(422);
  }

  @Test
  void refusedRecipients_answer4xx_andNothingIsSent() throws Exception {
    assertThat(
            post(
                    "/v1/sms",
                    "k1",
                    "{\"to\":\"" + NotificationSimulator.INVALID_NUMBER + "\"," + "\"body\":\"x\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/sms", "k2", "{\"to\":\"5551234\",\"body\":\"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(
            post("/v1/push", "k3", "{\"device_token\":\"unregistered-abc123\",\"title\":\"t\"}")
                .statusCode())
        .isEqualTo(410);
    assertThat(post("/v1/sms", null, "{\"to\":\"+15551234567\",\"body\":\"x\"}").statusCode())
        .isEqualTo(400);

    assertThat(simulator.sms()).isEmpty();
    assertThat(simulator.pushes()).isEmpty();
  }

  @Test
  void faults_answer503_beforeSending_soTheSameKeyMaySendLater() throws Exception {
    simulator.setFaults(new ProviderFaults(1, 0));
    String body = "{\"device_token\":\"device-token-1\",\"title\":\"Alert\",\"body\":\"b\"}";
    assertThat(post("/v1/push", "p1", body).statusCode()).isEqualTo(503);

    simulator.setFaults(ProviderFaults.NONE);
    assertThat(post("/v1/push", "p1", body).statusCode()).isEqualTo(201);
    assertThat(simulator.pushes())
        .singleElement()
        .extracting(Received.Push::title)
        .isEqualTo("Alert");
  }

  @Test
  void smtp_receivesMail_andTheInboxShowsIt() throws Exception {
    GreenMailUtil.sendTextEmail(
        "customer@example.com",
        "receipts@payrail.test",
        "Your receipt",
        "Amount paid: $20.00",
        new ServerSetup(simulator.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    assertThat(simulator.emails())
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.to()).containsExactly("customer@example.com");
              assertThat(email.subject()).isEqualTo("Your receipt");
              assertThat(email.text()).contains("Amount paid: $20.00");
            });
    JsonNode inbox =
        json.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/sim/messages"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(inbox.path("email").get(0).path("subject").asString()).isEqualTo("Your receipt");
  }

  private static HttpResponse<String> post(String path, String key, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
