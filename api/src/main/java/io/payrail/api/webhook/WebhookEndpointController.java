package io.payrail.api.webhook;

import io.payrail.api.error.ApiException;
import io.payrail.api.merchant.ApiKeys;
import io.payrail.api.merchant.MerchantPrincipal;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.platform.card.CardVault;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.security.SecureRandom;
import java.sql.Array;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/webhook_endpoints}: where a merchant wants its events, which ones, and the secret that
 * signs them (shown at creation and when rolled, never again). Creating, deleting and rolling are
 * audited, in the transaction of the change; the audit record never holds the secret.
 */
@RestController
@Tag(name = "Webhook endpoints")
class WebhookEndpointController {

  static final Set<String> EVENT_TYPES =
      Set.of(
          "*",
          "payment.requires_capture",
          "payment.succeeded",
          "payment.canceled",
          "payment.failed",
          "refund.created",
          "refund.succeeded",
          "refund.failed");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final CardVault vault;
  private final EndpointUrls urls;
  private final AuditLog audit;
  private final TransactionTemplate transaction;

  WebhookEndpointController(
      JdbcClient jdbc,
      CardVault vault,
      EndpointUrls urls,
      AuditLog audit,
      TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.vault = vault;
    this.urls = urls;
    this.audit = audit;
    this.transaction = transaction;
  }

  record Create(
      @NotNull @Size(max = 2048) String url,
      @NotEmpty @Size(max = 20) List<@NotNull String> enabledEvents,
      @Size(max = 500) @Pattern(regexp = "[^\\x{0}]*") String description) {}

  record Roll(
      @jakarta.validation.constraints.Min(0) @jakarta.validation.constraints.Max(604800)
          Long expireCurrentInSeconds) {}

  record Endpoint(
      String id,
      String object,
      String url,
      List<String> enabledEvents,
      String description,
      String status,
      String secret,
      long created) {}

  record EndpointList(String object, List<Endpoint> data) {}

  @PostMapping("/v1/webhook_endpoints")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Register an endpoint; its signing secret is in this response only")
  Endpoint create(
      @AuthenticationPrincipal MerchantPrincipal caller, @Valid @RequestBody Create request) {
    for (String type : request.enabledEvents()) {
      if (!EVENT_TYPES.contains(type)) {
        throw ApiException.invalid(
            "enabled_events", "parameter_invalid", "Unknown event type: " + type);
      }
    }
    urls.check(request.url());
    String id = ApiKeys.newId("we");
    String secret = newSecret();
    String sealed = vault.seal(id, secret);
    // The DNS lookup and the sealing above hold no database connection; the row and its audit
    // record commit together.
    return transaction.execute(
        status -> {
          jdbc.sql(
                  """
                  INSERT INTO webhook_endpoints (id, merchant_id, url, enabled_events, description,
                                                 secret_sealed)
                  VALUES (?, ?, ?, ?, ?, ?)
                  """)
              .params(
                  id,
                  caller.merchantId(),
                  request.url(),
                  request.enabledEvents().toArray(String[]::new),
                  request.description(),
                  sealed)
              .update();
          Endpoint created = find(caller.merchantId(), id, secret);
          audit.record(
              "webhook_endpoint.created",
              AuditTarget.of("webhook_endpoint", id),
              AuditChanges.created(audited(caller.merchantId(), created)));
          return created;
        });
  }

  @GetMapping("/v1/webhook_endpoints")
  @Operation(summary = "The merchant's endpoints")
  EndpointList list(@AuthenticationPrincipal MerchantPrincipal caller) {
    return new EndpointList(
        "list",
        jdbc.sql(SELECT + " WHERE merchant_id = ? AND deleted_at IS NULL ORDER BY created_at")
            .param(caller.merchantId())
            .query((row, n) -> map(row, null))
            .list());
  }

  @GetMapping("/v1/webhook_endpoints/{id}")
  @Operation(summary = "Retrieve an endpoint (without its secret)")
  Endpoint get(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    return find(caller.merchantId(), id, null);
  }

  @DeleteMapping("/v1/webhook_endpoints/{id}")
  @Operation(summary = "Delete an endpoint; deliveries under way to it stop")
  @Transactional
  Endpoint delete(@AuthenticationPrincipal MerchantPrincipal caller, @PathVariable String id) {
    Endpoint endpoint = find(caller.merchantId(), id, null);
    int deleted =
        jdbc.sql(
                """
                UPDATE webhook_endpoints SET deleted_at = now()
                WHERE id = ? AND merchant_id = ? AND deleted_at IS NULL
                """)
            .params(id, caller.merchantId())
            .update();
    if (deleted == 0) {
      // A concurrent delete of the same endpoint won: it wrote the one audit record.
      return endpoint;
    }
    audit.record(
        "webhook_endpoint.deleted",
        AuditTarget.of("webhook_endpoint", id),
        AuditChanges.of(audited(caller.merchantId(), endpoint), Map.of()));
    return endpoint;
  }

  /**
   * A new signing secret, shown once. The old one keeps signing alongside it for {@code
   * expire_current_in_seconds} (default 24 hours), so receivers can switch without losing events.
   */
  @PostMapping("/v1/webhook_endpoints/{id}/roll_secret")
  @Operation(summary = "Roll the signing secret, with an overlap during which both sign")
  @Transactional
  Endpoint roll(
      @AuthenticationPrincipal MerchantPrincipal caller,
      @PathVariable String id,
      @Valid @RequestBody(required = false) Roll request) {
    find(caller.merchantId(), id, null);
    long overlap =
        request == null || request.expireCurrentInSeconds() == null
            ? Duration.ofHours(24).toSeconds()
            : request.expireCurrentInSeconds();
    String secret = newSecret();
    jdbc.sql(
            """
            UPDATE webhook_endpoints
            SET previous_secret_sealed = secret_sealed,
                previous_secret_expires_at = now() + ?::interval,
                secret_sealed = ?
            WHERE id = ? AND merchant_id = ?
            """)
        .params(overlap + " seconds", vault.seal(id, secret), id, caller.merchantId())
        .update();
    audit.record(
        "webhook_endpoint.secret_rolled",
        AuditTarget.of("webhook_endpoint", id),
        AuditChanges.created(
            Map.of("merchant_id", caller.merchantId(), "overlap_seconds", overlap)));
    return find(caller.merchantId(), id, secret);
  }

  /** What the audit log keeps of an endpoint: everything but its secret. */
  private static Map<String, Object> audited(String merchantId, Endpoint endpoint) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("merchant_id", merchantId);
    fields.put("url", endpoint.url());
    fields.put("enabled_events", endpoint.enabledEvents());
    fields.put("description", endpoint.description());
    fields.put("status", endpoint.status());
    return fields;
  }

  private static final String SELECT =
      """
      SELECT id, url, enabled_events, description, status, created_at FROM webhook_endpoints
      """;

  private Endpoint find(String merchantId, String id, String secret) {
    return jdbc.sql(SELECT + " WHERE id = ? AND merchant_id = ? AND deleted_at IS NULL")
        .params(id, merchantId)
        .query((row, n) -> map(row, secret))
        .optional()
        .orElseThrow(() -> ApiException.notFound("webhook_endpoint", id));
  }

  private static Endpoint map(java.sql.ResultSet row, String secret) throws java.sql.SQLException {
    Array events = row.getArray("enabled_events");
    return new Endpoint(
        row.getString("id"),
        "webhook_endpoint",
        row.getString("url"),
        Arrays.asList((String[]) events.getArray()),
        row.getString("description"),
        row.getString("status"),
        secret,
        row.getObject("created_at", OffsetDateTime.class).toEpochSecond());
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }
}
