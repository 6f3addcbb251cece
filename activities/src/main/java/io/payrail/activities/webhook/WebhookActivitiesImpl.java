package io.payrail.activities.webhook;

import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.webhook.EndpointGuard;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.webhook.AttemptResult;
import io.payrail.workflows.webhook.WebhookActivities;
import io.temporal.spring.boot.ActivityImpl;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes and records webhook attempts. An endpoint whose attempts have all failed for {@link
 * WebhookProperties#disableAfter()} is disabled (its pending deliveries then end {@code canceled})
 * and {@code webhook_endpoint.disabled} is published, from which the merchant and the operators are
 * told.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.WEBHOOKS)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookActivitiesImpl implements WebhookActivities {

  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);
  static final String TOPIC = "payrail.webhook-endpoint-events";

  private final JdbcClient jdbc;
  private final CardVault vault;
  private final WebhookSender sender;
  private final EndpointGuard guard;
  private final WebhookProperties properties;
  private final Clock clock;
  private final TransactionTemplate transactions;
  private final JsonMapper json;

  @Autowired
  public WebhookActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      JsonMapper json,
      CardVault vault,
      WebhookProperties properties) {
    this(jdbc, transactionManager, json, vault, properties, Clock.systemUTC());
  }

  WebhookActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      JsonMapper json,
      CardVault vault,
      WebhookProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.json = json;
    this.vault = vault;
    this.properties = properties;
    this.clock = clock;
    this.sender = new WebhookSender(properties.timeout(), clock);
    this.guard = new EndpointGuard(properties.allowPrivateAddresses(), properties.allowHttp());
  }

  private record Target(
      String endpointId,
      String url,
      boolean live,
      String secret,
      String previousSecret,
      Timestamp previousExpires,
      String payload) {}

  @Override
  public AttemptResult attempt(String deliveryId, int attempt) {
    Optional<Target> found =
        jdbc.sql(
                """
                SELECT e.id, e.url, e.status = 'enabled' AND e.deleted_at IS NULL AS live,
                       e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at,
                       ev.payload::text AS payload
                FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id
                JOIN events ev ON ev.id = d.event_id
                WHERE d.id = ?
                """)
            .param(deliveryId)
            .query(
                (row, n) ->
                    new Target(
                        row.getString(1),
                        row.getString(2),
                        row.getBoolean(3),
                        row.getString(4),
                        row.getString(5),
                        row.getTimestamp(6),
                        row.getString(7)))
            .optional();
    if (found.isEmpty() || !found.get().live()) {
      return new AttemptResult(AttemptResult.Outcome.ENDPOINT_GONE, 0);
    }
    Target target = found.get();
    Instant now = clock.instant();
    String refusal = guard.refusal(target.url());
    WebhookSender.Sent sent =
        refusal != null
            ? new WebhookSender.Sent(0, 0, null, "refused: " + refusal)
            : sender.send(target.url(), target.payload(), secrets(target, now));
    record(deliveryId, attempt, now, sent);
    updateHealth(target.endpointId(), sent.delivered());
    return sent.delivered()
        ? new AttemptResult(AttemptResult.Outcome.DELIVERED, sent.statusCode())
        : new AttemptResult(AttemptResult.Outcome.FAILED, sent.statusCode());
  }

  @Override
  public void finish(String deliveryId, String status) {
    jdbc.sql(
            """
            UPDATE webhook_deliveries SET status = ?, finished_at = now()
            WHERE id = ? AND status = 'pending'
            """)
        .params(status, deliveryId)
        .update();
  }

  private List<String> secrets(Target target, Instant now) {
    List<String> secrets = new ArrayList<>();
    secrets.add(vault.unseal(target.endpointId(), target.secret()));
    if (target.previousSecret() != null
        && target.previousExpires() != null
        && target.previousExpires().toInstant().isAfter(now)) {
      secrets.add(vault.unseal(target.endpointId(), target.previousSecret()));
    }
    return secrets;
  }

  private void record(String deliveryId, int attempt, Instant now, WebhookSender.Sent sent) {
    jdbc.sql(
            """
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code,
                                          latency_ms, response_snippet, error)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (delivery_id, attempt) DO UPDATE
            SET attempted_at = excluded.attempted_at, status_code = excluded.status_code,
                latency_ms = excluded.latency_ms, response_snippet = excluded.response_snippet,
                error = excluded.error
            """)
        .params(
            deliveryId,
            attempt,
            Timestamp.from(now),
            sent.statusCode() == 0 ? null : sent.statusCode(),
            (int) Math.min(Integer.MAX_VALUE, sent.latencyMillis()),
            sent.snippet() == null ? null : sent.snippet().replace("\u0000", ""),
            sent.error())
        .update();
    jdbc.sql("UPDATE webhook_deliveries SET attempts = greatest(attempts, ?) WHERE id = ?")
        .params(attempt, deliveryId)
        .update();
  }

  private void updateHealth(String endpointId, boolean delivered) {
    if (delivered) {
      jdbc.sql("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?")
          .param(endpointId)
          .update();
      return;
    }
    transactions.executeWithoutResult(
        tx ->
            jdbc.sql(
                    """
                    UPDATE webhook_endpoints
                    SET failing_since = coalesce(failing_since, now()),
                        status = CASE WHEN failing_since < now() - ?::interval THEN 'disabled'
                                      ELSE status END
                    WHERE id = ? AND status = 'enabled'
                    RETURNING status, merchant_id, url, description, enabled_events,
                              failing_since, created_at, now()
                    """)
                .params(properties.disableAfter().toSeconds() + " seconds", endpointId)
                .query(
                    (row, n) -> {
                      if (row.getString(1).equals("disabled")) {
                        disabled(
                            endpointId,
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            List.of((String[]) row.getArray(5).getArray()),
                            row.getTimestamp(6).toInstant(),
                            row.getTimestamp(7).toInstant(),
                            row.getTimestamp(8).toInstant());
                      }
                      return row.getString(1);
                    })
                .optional());
  }

  /**
   * Publishes {@code webhook_endpoint.disabled} (in the transaction that disabled it), from which
   * the merchant and the operators are told.
   */
  private void disabled(
      String endpointId,
      String merchantId,
      String url,
      String description,
      List<String> enabledEvents,
      Instant failingSince,
      Instant created,
      Instant now) {
    log.warn("webhook endpoint {} disabled: failing since {}", endpointId, failingSince);
    Map<String, Object> endpoint = new LinkedHashMap<>();
    endpoint.put("id", endpointId);
    endpoint.put("object", "webhook_endpoint");
    endpoint.put("url", url);
    endpoint.put("description", description);
    endpoint.put("enabled_events", enabledEvents);
    endpoint.put("status", "disabled");
    endpoint.put("failing_since", failingSince.getEpochSecond());
    endpoint.put("created", created.getEpochSecond());
    String id = "evt_" + endpointId.substring("we_".length()) + "_disabled";
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("object", "event");
    event.put("type", "webhook_endpoint.disabled");
    event.put("api_version", PaymentRecordActivitiesImpl.API_VERSION);
    event.put("created", now.getEpochSecond());
    event.put("data", Map.of("object", endpoint));
    jdbc.sql(
            """
            INSERT INTO events
                (id, type, api_version, merchant_id, object_id, topic, payload, created_at)
            VALUES (?, 'webhook_endpoint.disabled', ?, ?, ?, ?, CAST(? AS jsonb), ?)
            ON CONFLICT (id) DO NOTHING
            """)
        .params(
            id,
            PaymentRecordActivitiesImpl.API_VERSION,
            merchantId,
            endpointId,
            TOPIC,
            json.writeValueAsString(event),
            Timestamp.from(now))
        .update();
  }
}
