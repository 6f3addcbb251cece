package io.payrail.activities.webhook;

import io.payrail.activities.events.EventListeners;
import io.payrail.activities.events.OutboxRelay;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.webhook.DeliveryInput;
import io.payrail.workflows.webhook.WebhookDeliveryWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;

/**
 * Turns published events into webhook deliveries: for each event on the payment and refund topics,
 * one {@link WebhookDeliveryWorkflow} per endpoint of the merchant that subscribes to its type.
 * Idempotent end to end (one delivery row per event and endpoint, workflow id from the delivery),
 * so an event consumed twice (Kafka is at least once) is delivered once. A failure (database or
 * Temporal down) is retried, with backoff, without skipping the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafka
@ConditionalOnProperty(
    prefix = "payrail.webhooks.dispatcher",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class WebhookDispatcher {

  static final String GROUP = "payrail-webhooks";
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final WorkflowClient temporal;
  private final WebhookProperties properties;

  public WebhookDispatcher(JdbcClient jdbc, WorkflowClient temporal, WebhookProperties properties) {
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.properties = properties;
  }

  /**
   * From the first event on for a new group; retried with backoff until it succeeds. Static: the
   * listener below lives in this very class, which must not be needed to build its own factory.
   */
  @Bean
  static ConcurrentKafkaListenerContainerFactory<String, String> webhookListenerFactory(
      KafkaProperties kafka) {
    return EventListeners.fromTheFirstEvent(kafka, GROUP);
  }

  @KafkaListener(
      id = GROUP,
      topics = {"payrail.payment-events", "payrail.refund-events"},
      containerFactory = "webhookListenerFactory")
  public void onEvent(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER);
    if (header == null) {
      return;
    }
    String eventId = new String(header.value(), StandardCharsets.UTF_8);
    var event =
        jdbc.sql("SELECT merchant_id, type FROM events WHERE id = ?")
            .param(eventId)
            .query((row, n) -> new String[] {row.getString(1), row.getString(2)})
            .optional();
    if (event.isEmpty()) {
      return;
    }
    String merchantId = event.get()[0];
    List<String> endpoints =
        jdbc.sql(
                """
                SELECT id FROM webhook_endpoints
                WHERE merchant_id = ? AND status = 'enabled' AND deleted_at IS NULL
                  AND (? = ANY (enabled_events) OR '*' = ANY (enabled_events))
                """)
            .params(merchantId, event.get()[1])
            .query(String.class)
            .list();
    for (String endpointId : endpoints) {
      start(deliveryFor(eventId, endpointId, merchantId), eventId, endpointId, merchantId);
    }
  }

  /** The one delivery of this event to this endpoint, created on first sight. */
  private String deliveryFor(String eventId, String endpointId, String merchantId) {
    jdbc.sql(
            """
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (event_id, endpoint_id) WHERE NOT redelivery DO NOTHING
            """)
        .params(newDeliveryId(), endpointId, eventId, merchantId)
        .update();
    return jdbc.sql(
            """
            SELECT id FROM webhook_deliveries
            WHERE event_id = ? AND endpoint_id = ? AND NOT redelivery
            """)
        .params(eventId, endpointId)
        .query(String.class)
        .single();
  }

  /** Starts the delivery's workflow unless it already runs or ran. */
  public void start(String deliveryId, String eventId, String endpointId, String merchantId) {
    WebhookDeliveryWorkflow workflow =
        temporal.newWorkflowStub(
            WebhookDeliveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WebhookDeliveryWorkflow.workflowId(deliveryId))
                .setTaskQueue(TaskQueues.WEBHOOKS)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(
          workflow::run,
          new DeliveryInput(deliveryId, eventId, endpointId, merchantId, properties.schedule()));
    } catch (WorkflowExecutionAlreadyStarted already) {
      // seen before: its delivery is under way or done
    }
  }

  static String newDeliveryId() {
    char[] chars = new char[24];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return "whd_" + new String(chars);
  }
}
