package io.payrail.api.webhook;

import io.payrail.api.error.ApiException;
import io.payrail.api.merchant.ApiKeys;
import io.payrail.api.merchant.MerchantPrincipal;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.webhook.DeliveryInput;
import io.payrail.workflows.webhook.DeliverySchedule;
import io.payrail.workflows.webhook.WebhookDeliveryWorkflow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What happened to a merchant's webhooks, attempt by attempt, and redelivery on request. */
@RestController
@Tag(name = "Webhook endpoints")
class WebhookDeliveryController {

  private final JdbcClient jdbc;
  private final WorkflowClient temporal;
  private final DeliverySchedule schedule;
  private final TransactionTemplate transaction;
  private final AuditLog audit;

  WebhookDeliveryController(
      JdbcClient jdbc,
      WorkflowClient temporal,
      TransactionTemplate transaction,
      AuditLog audit,
      @Value("${payrail.webhooks.first-retry:1m}") Duration firstRetry,
      @Value("${payrail.webhooks.max-interval:6h}") Duration maxInterval,
      @Value("${payrail.webhooks.give-up-after:3d}") Duration giveUpAfter,
      @Value("${payrail.webhooks.jitter:0.2}") double jitter) {
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.schedule = new DeliverySchedule(firstRetry, maxInterval, giveUpAfter, jitter);
    this.transaction = transaction;
    this.audit = audit;
  }

  record Attempt(
      int attempt,
      long attemptedAt,
      Integer statusCode,
      int latencyMs,
      String responseSnippet,
      String error) {}

  record Delivery(
      String id,
      String object,
      String endpoint,
      String event,
      String status,
      boolean redelivery,
      long created,
      List<Attempt> attempts) {}

  record DeliveryList(String object, List<Delivery> data) {}

  @GetMapping("/v1/webhook_endpoints/{id}/deliveries")
  @Operation(summary = "An endpoint's deliveries, newest first, each with its attempts")
  DeliveryList deliveries(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 100) {
      throw ApiException.invalid("limit", "parameter_invalid", "limit must be between 1 and 100");
    }
    List<Delivery> deliveries =
        jdbc.sql(
                """
                SELECT id, endpoint_id, event_id, status, redelivery, created_at
                FROM webhook_deliveries WHERE endpoint_id = ? AND merchant_id = ?
                ORDER BY created_at DESC, id DESC LIMIT ?
                """)
            .params(id, caller.merchantId(), limit)
            .query(
                (row, n) ->
                    new Delivery(
                        row.getString(1),
                        "webhook_delivery",
                        row.getString(2),
                        row.getString(3),
                        row.getString(4),
                        row.getBoolean(5),
                        row.getObject(6, OffsetDateTime.class).toEpochSecond(),
                        attempts(row.getString(1))))
            .list();
    return new DeliveryList("list", deliveries);
  }

  /**
   * Sends the event to the endpoint again, as a new delivery with a schedule of its own. The
   * delivery and its audit record commit before the workflow starts, so the workflow finds its row.
   */
  @PostMapping("/v1/webhook_deliveries/{id}/redeliver")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Deliver an event to an endpoint again")
  Delivery redeliver(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    return redeliver(id, caller.merchantId());
  }

  /**
   * The same for an operator, on any merchant's delivery: when a merchant's endpoint was down and
   * the merchant asks support to send the events again.
   */
  @PostMapping("/staff/v1/webhook_deliveries/{id}/redeliver")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Deliver any merchant's event to its endpoint again (operator)")
  Delivery redeliverForStaff(@PathVariable String id) {
    return redeliver(id, null);
  }

  /** {@code merchantId} null: whoever's delivery it is (staff). */
  private Delivery redeliver(String id, String merchantId) {
    Original original =
        jdbc.sql(
                """
                SELECT d.event_id, d.endpoint_id, d.merchant_id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.id = :id AND e.deleted_at IS NULL
                  AND (CAST(:merchant AS text) IS NULL OR d.merchant_id = :merchant)
                """)
            .param("id", id)
            .param("merchant", merchantId)
            .query((row, n) -> new Original(row.getString(1), row.getString(2), row.getString(3)))
            .optional()
            .orElseThrow(() -> ApiException.notFound("webhook_delivery", id));
    String deliveryId = ApiKeys.newId("whd");
    transaction.executeWithoutResult(
        status -> {
          jdbc.sql(
                  """
                  INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, redelivery)
                  VALUES (?, ?, ?, ?, true)
                  """)
              .params(deliveryId, original.endpointId(), original.eventId(), original.merchantId())
              .update();
          audit.record(
              "webhook_delivery.redelivery_requested",
              AuditTarget.of("webhook_delivery", deliveryId),
              AuditChanges.created(
                  Map.of(
                      "merchant_id",
                      original.merchantId(),
                      "redelivery_of",
                      id,
                      "event_id",
                      original.eventId(),
                      "endpoint_id",
                      original.endpointId())));
        });
    WebhookDeliveryWorkflow workflow =
        temporal.newWorkflowStub(
            WebhookDeliveryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WebhookDeliveryWorkflow.workflowId(deliveryId))
                .setTaskQueue(TaskQueues.WEBHOOKS)
                .build());
    WorkflowClient.start(
        workflow::run,
        new DeliveryInput(
            deliveryId,
            original.eventId(),
            original.endpointId(),
            original.merchantId(),
            schedule));
    return new Delivery(
        deliveryId,
        "webhook_delivery",
        original.endpointId(),
        original.eventId(),
        "pending",
        true,
        OffsetDateTime.now().toEpochSecond(),
        List.of());
  }

  private record Original(String eventId, String endpointId, String merchantId) {}

  private List<Attempt> attempts(String deliveryId) {
    return jdbc.sql(
            """
            SELECT attempt, attempted_at, status_code, latency_ms, response_snippet, error
            FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt
            """)
        .param(deliveryId)
        .query(
            (row, n) ->
                new Attempt(
                    row.getInt(1),
                    row.getObject(2, OffsetDateTime.class).toEpochSecond(),
                    (Integer) row.getObject(3),
                    row.getInt(4),
                    row.getString(5),
                    row.getString(6)))
        .list();
  }
}
