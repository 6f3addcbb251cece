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
    String[] original =
        jdbc.sql(
                """
                SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.id = ? AND d.merchant_id = ? AND e.deleted_at IS NULL
                """)
            .params(id, caller.merchantId())
            .query((row, n) -> new String[] {row.getString(1), row.getString(2)})
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
              .params(deliveryId, original[1], original[0], caller.merchantId())
              .update();
          audit.record(
              "webhook_delivery.redelivery_requested",
              AuditTarget.of("webhook_delivery", deliveryId),
              AuditChanges.created(
                  Map.of(
                      "merchant_id",
                      caller.merchantId(),
                      "redelivery_of",
                      id,
                      "event_id",
                      original[0],
                      "endpoint_id",
                      original[1])));
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
        new DeliveryInput(deliveryId, original[0], original[1], caller.merchantId(), schedule));
    return new Delivery(
        deliveryId,
        "webhook_delivery",
        original[1],
        original[0],
        "pending",
        true,
        OffsetDateTime.now().toEpochSecond(),
        List.of());
  }

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
