package io.payrail.activities.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestPayments.Payment;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.notifysim.NotificationSimulator;
import io.payrail.notifysim.ProviderFaults;
import io.payrail.notifysim.Received;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.notification.NotificationActivities;
import io.temporal.failure.ApplicationFailure;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sending notifications against a real PostgreSQL with the schema, a real SMTP server and the SMS
 * and push provider simulator, all on loopback.
 */
class NotificationActivitiesIT {

  private static final JsonMapper json = JsonMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static NotificationSimulator providers;
  private static JdbcClient jdbc;
  private static TestPayments payments;
  private static PaymentRecordActivitiesImpl records;
  private static NotificationActivitiesImpl notifications;

  @BeforeAll
  static void wire() {
    providers = NotificationSimulator.start(0, 0);
    DataSource database = TestServers.database();
    jdbc = JdbcClient.create(database);
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    records =
        new PaymentRecordActivitiesImpl(jdbc, transactions, new Ledger(jdbc, transactions), json);
    payments = new TestPayments(database);
    JavaMailSenderImpl mail = new JavaMailSenderImpl();
    mail.setHost("127.0.0.1");
    mail.setPort(providers.smtpPort());
    notifications =
        new NotificationActivitiesImpl(
            jdbc,
            json,
            mail,
            new NotificationProperties(
                "Payrail <notifications@payrail.test>",
                List.of(),
                java.net.URI.create(providers.baseUrl()),
                Duration.ofSeconds(2),
                Duration.ofDays(1)));
  }

  @AfterAll
  static void stop() {
    providers.close();
  }

  @BeforeEach
  void reset() {
    providers.reset();
  }

  @Test
  void paymentReceipt_isEmailedOnce_withTheAmountInItsCurrency_andNoCardNumber() {
    String merchant = payments.merchant();
    jdbc.sql("UPDATE merchants SET name = 'Fjord Coffee', email = 'hello@fjord.test' WHERE id = ?")
        .param(merchant)
        .update();
    Payment payment = payments.payment(merchant, Money.of(2050, "EUR"));
    records.record(payment.authorized());
    records.record(payment.captured(2050));
    String id =
        notification(
            eventOf(payment, "payment.succeeded"),
            merchant,
            "payment_receipt",
            "email",
            "ada@example.com");

    notifications.send(id);
    notifications.send(id);

    Received.Email email = providers.emails().getFirst();
    assertThat(providers.emails()).hasSize(1);
    assertThat(email.to()).containsExactly("ada@example.com");
    assertThat(email.from()).contains("notifications@payrail.test");
    assertThat(email.replyTo()).isEqualTo("hello@fjord.test");
    assertThat(email.subject()).isEqualTo("Your receipt from Fjord Coffee");
    assertThat(email.messageId()).isEqualTo("<" + id + "@payrail>");
    assertThat(email.text())
        .contains("Amount paid     €20.50")
        .contains("Visa ending in 4242")
        .contains("Receipt number  " + payment.id())
        .doesNotContain("4242424242424242")
        .doesNotContain("{{");
    assertThat(row(id, "status")).isEqualTo("sent");
    assertThat(row(id, "provider_message_id")).isEqualTo("<" + id + "@payrail>");
    assertThat(row(id, "attempts")).isEqualTo("1");
  }

  @Test
  void operatorSms_afterAnAnswerLostOnTheWay_isNotSentTwice() {
    String merchant = payments.merchant();
    String event = endpointDisabledEvent(merchant);
    String id =
        notification(event, merchant, "webhook_endpoint_disabled_operator", "sms", "+15550100100");

    notifications.send(id);
    // As if the worker died after the provider took the message and before recording it:
    jdbc.sql("UPDATE notifications SET status = 'pending' WHERE id = ?").param(id).update();
    notifications.send(id);

    assertThat(providers.sms())
        .singleElement()
        .satisfies(
            sms -> {
              assertThat(sms.to()).isEqualTo("+15550100100");
              assertThat(sms.idempotencyKey()).isEqualTo(id);
              assertThat(sms.body())
                  .startsWith("Payrail: webhook endpoint we_")
                  .contains("of merchant " + merchant + " disabled");
            });
    assertThat(row(id, "status")).isEqualTo("sent");
  }

  @Test
  void refusedRecipient_failsWithoutRetry_andKeepsTheProvidersReason() {
    String merchant = payments.merchant();
    String event = endpointDisabledEvent(merchant);
    String sms =
        notification(
            event,
            merchant,
            "webhook_endpoint_disabled_operator",
            "sms",
            NotificationSimulator.INVALID_NUMBER);
    String push =
        notification(
            event, merchant, "webhook_endpoint_disabled_operator", "push", "unregistered-device-1");

    assertThatThrownBy(() -> notifications.send(sms))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo(NotificationActivities.REJECTED);
            });
    assertThatThrownBy(() -> notifications.send(push)).isInstanceOf(ApplicationFailure.class);

    assertThat(row(sms, "last_error"))
        .isEqualTo("sms: HTTP 400 invalid_number: this number " + "cannot receive messages");
    assertThat(row(push, "last_error")).startsWith("push: HTTP 410 unregistered");
    notifications.fail(sms, row(sms, "last_error"));
    assertThat(row(sms, "status")).isEqualTo("failed");
  }

  @Test
  void providerDown_isATransientFailure_countedAndKept_thenSendsWhenBack() {
    String merchant = payments.merchant();
    String event = endpointDisabledEvent(merchant);
    String id =
        notification(
            event, merchant, "webhook_endpoint_disabled_operator", "push", "operator-device-1");
    providers.setFaults(new ProviderFaults(1, 0));

    assertThatThrownBy(() -> notifications.send(id))
        .isNotInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("503");
    assertThat(row(id, "status")).isEqualTo("pending");
    assertThat(row(id, "last_error")).contains("simulated_outage");

    providers.setFaults(ProviderFaults.NONE);
    notifications.send(id);

    assertThat(providers.pushes())
        .singleElement()
        .satisfies(
            push -> {
              assertThat(push.title()).isEqualTo("Webhook endpoint disabled");
              assertThat(push.body()).contains("https://hooks.example.com/payrail");
            });
    assertThat(row(id, "attempts")).isEqualTo("2");
    assertThat(row(id, "last_error")).isNull();
  }

  @Test
  void smtpServerDown_isATransientFailure() {
    JavaMailSenderImpl nowhere = new JavaMailSenderImpl();
    nowhere.setHost("127.0.0.1");
    nowhere.setPort(1); // nothing listens there
    NotificationActivitiesImpl unreachable =
        new NotificationActivitiesImpl(
            jdbc,
            json,
            nowhere,
            new NotificationProperties(
                "Payrail <n@payrail.test>", List.of(), null, Duration.ofSeconds(2), null));
    String merchant = payments.merchant();
    String id =
        notification(
            endpointDisabledEvent(merchant),
            merchant,
            "webhook_endpoint_disabled",
            "email",
            "dev@merchant.test");

    assertThatThrownBy(() -> unreachable.send(id))
        .isNotInstanceOf(ApplicationFailure.class)
        .hasMessageStartingWith("email: ");
    assertThat(row(id, "status")).isEqualTo("pending");
  }

  private static String eventOf(Payment payment, String type) {
    return jdbc.sql("SELECT id FROM events WHERE object_id = ? AND type = ?")
        .params(payment.id(), type)
        .query(String.class)
        .single();
  }

  /** The event {@code WebhookActivitiesImpl} publishes, as it writes it. */
  private static String endpointDisabledEvent(String merchant) {
    String endpoint = "we_" + random(24);
    String id = "evt_" + endpoint.substring(3) + "_disabled";
    String payload =
        """
        {"id": "%s", "object": "event", "type": "webhook_endpoint.disabled",
         "api_version": "2026-11-01", "created": 1795000000,
         "data": {"object": {"id": "%s", "object": "webhook_endpoint",
           "url": "https://hooks.example.com/payrail", "description": null,
           "enabled_events": ["*"], "status": "disabled", "failing_since": 1794500000,
           "created": 1794000000}}}
        """
            .formatted(id, endpoint);
    jdbc.sql(
            """
            INSERT INTO events
                (id, type, api_version, merchant_id, object_id, topic, payload, created_at)
            VALUES (?, 'webhook_endpoint.disabled', '2026-11-01', ?, ?,
                    'payrail.webhook-endpoint-events', CAST(? AS jsonb), now())
            """)
        .params(id, merchant, endpoint, payload)
        .update();
    return id;
  }

  private static String notification(
      String eventId, String merchant, String template, String channel, String recipient) {
    String id = "ntf_" + random(24);
    jdbc.sql(
            """
            INSERT INTO notifications (id, event_id, merchant_id, template, channel, recipient)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        .params(id, eventId, merchant, template, channel, recipient)
        .update();
    return id;
  }

  private static String row(String id, String column) {
    List<String> values =
        jdbc.sql("SELECT " + column + "::text FROM notifications WHERE id = ?")
            .param(id)
            .query(String.class)
            .list();
    return values.getFirst();
  }

  private static String random(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
