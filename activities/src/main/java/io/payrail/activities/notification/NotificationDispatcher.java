package io.payrail.activities.notification;

import io.payrail.activities.events.EventListeners;
import io.payrail.activities.events.OutboxRelay;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.notification.NotificationInput;
import io.payrail.workflows.notification.NotificationWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns published events into notifications: receipts for succeeded payments and refunds (when the
 * merchant opted in and the payment has a customer email), and alerts to the merchant and to the
 * operators when an endpoint is disabled. One row per (event, template, channel, recipient) and one
 * {@link NotificationWorkflow} per row, so an event consumed twice notifies once. A failure
 * (database or Temporal down) is retried with backoff without skipping the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafka
@ConditionalOnProperty(
    prefix = "payrail.notifications.dispatcher",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class NotificationDispatcher {

  private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
  static final String GROUP = "payrail-notifications";
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final WorkflowClient temporal;
  private final NotificationProperties properties;

  public NotificationDispatcher(
      JdbcClient jdbc,
      JsonMapper json,
      WorkflowClient temporal,
      NotificationProperties properties) {
    this.jdbc = jdbc;
    this.json = json;
    this.temporal = temporal;
    this.properties = properties;
  }

  /** From the first event on for a new group; retried with backoff until it succeeds. */
  @Bean
  static ConcurrentKafkaListenerContainerFactory<String, String> notificationListenerFactory(
      KafkaProperties kafka) {
    // An outage (database, Temporal) is waited out; an event no retry can change (a payload that
    // does not parse, a value no recipient can have) is logged and passed, not retried for ever
    // in front of every later event of its partition.
    return EventListeners.fromTheFirstEvent(
        kafka, GROUP, IllegalArgumentException.class, tools.jackson.core.JacksonException.class);
  }

  @KafkaListener(
      id = GROUP,
      topics = {
        "payrail.payment-events",
        "payrail.refund-events",
        "payrail.webhook-endpoint-events"
      },
      containerFactory = "notificationListenerFactory")
  public void onEvent(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER);
    if (header != null) {
      dispatch(new String(header.value(), StandardCharsets.UTF_8));
    }
  }

  /** Creates the event's notifications, once, and starts a workflow for each. */
  public void dispatch(String eventId) {
    record Event(String merchantId, String type, String payload) {}
    var event =
        jdbc.sql("SELECT merchant_id, type, payload::text FROM events WHERE id = ?")
            .param(eventId)
            .query((row, n) -> new Event(row.getString(1), row.getString(2), row.getString(3)))
            .optional();
    if (event.isEmpty()) {
      return;
    }
    List<Planned> planned =
        plan(event.get().type(), event.get().merchantId(), json.readTree(event.get().payload()));
    for (Planned p : planned) {
      start(notificationFor(eventId, event.get().merchantId(), p));
    }
  }

  /** A notification to make: which template, to whom. */
  record Planned(String template, Recipient recipient) {}

  private List<Planned> plan(String type, String merchantId, JsonNode event) {
    JsonNode object = event.path("data").path("object");
    Settings merchant = settings(merchantId);
    List<Planned> planned = new ArrayList<>();
    switch (type) {
      case "payment.succeeded" -> {
        if (merchant.receiptsPayments()) {
          email(object.path("customer_email").asString(null))
              .ifPresent(customer -> planned.add(new Planned("payment_receipt", customer)));
        }
      }
      case "refund.succeeded" -> {
        if (merchant.receiptsRefunds()) {
          jdbc.sql("SELECT customer_email FROM payments WHERE id = ? AND merchant_id = ?")
              .params(object.path("payment").asString(""), merchantId)
              .query(String.class)
              .optional()
              .flatMap(NotificationDispatcher::email)
              .ifPresent(customer -> planned.add(new Planned("refund_receipt", customer)));
        }
      }
      case "webhook_endpoint.disabled" -> {
        email(merchant.email())
            .ifPresent(owner -> planned.add(new Planned("webhook_endpoint_disabled", owner)));
        properties
            .operatorRecipients()
            .forEach(r -> planned.add(new Planned("webhook_endpoint_disabled_operator", r)));
      }
      default -> {
        // nobody is told of other events
      }
    }
    return planned;
  }

  /**
   * An address Payrail can send to, or nothing: an address the API accepted but no SMTP server
   * would take must not stop the dispatcher (it would retry the event for ever).
   */
  private static Optional<Recipient> email(String address) {
    if (address == null || address.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Recipient.email(address));
    } catch (IllegalArgumentException e) {
      // the address itself stays out of the log: it is personal data
      log.warn("skipped a notification to an unusable email address");
      return Optional.empty();
    }
  }

  private record Settings(String email, boolean receiptsPayments, boolean receiptsRefunds) {}

  private Settings settings(String merchantId) {
    return jdbc.sql("SELECT email, receipts_payments, receipts_refunds FROM merchants WHERE id = ?")
        .param(merchantId)
        .query((row, n) -> new Settings(row.getString(1), row.getBoolean(2), row.getBoolean(3)))
        .single();
  }

  private String notificationFor(String eventId, String merchantId, Planned p) {
    jdbc.sql(
            """
            INSERT INTO notifications (id, event_id, merchant_id, template, channel, recipient)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id, template, channel, recipient) DO NOTHING
            """)
        .params(
            newNotificationId(),
            eventId,
            merchantId,
            p.template(),
            p.recipient().channel().code(),
            p.recipient().address())
        .update();
    return jdbc.sql(
            """
            SELECT id FROM notifications
            WHERE event_id = ? AND template = ? AND channel = ? AND recipient = ?
            """)
        .params(eventId, p.template(), p.recipient().channel().code(), p.recipient().address())
        .query(String.class)
        .single();
  }

  /** Starts the notification's workflow unless it already runs or ran. */
  private void start(String notificationId) {
    NotificationWorkflow workflow =
        temporal.newWorkflowStub(
            NotificationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(NotificationWorkflow.workflowId(notificationId))
                .setTaskQueue(TaskQueues.NOTIFICATIONS)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(
          workflow::run, new NotificationInput(notificationId, properties.giveUpAfter()));
    } catch (WorkflowExecutionAlreadyStarted already) {
      // seen before: under way or done
    }
  }

  static String newNotificationId() {
    char[] chars = new char[24];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return "ntf_" + new String(chars);
  }
}
