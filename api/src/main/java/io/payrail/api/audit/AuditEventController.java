package io.payrail.api.audit;

import io.payrail.api.error.ApiException;
import io.payrail.platform.audit.AuditRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /admin/v1/audit_events}: the audit log for admins, newest first, filtered by actor,
 * action, target and time, paged like the payments list ({@code limit}, {@code starting_after},
 * {@code ending_before}, {@code has_more}); the cursor is a record's {@code seq}. Each event
 * carries its hashes, so a client can check the chain over what it was given.
 */
@RestController
@Tag(name = "Audit log")
class AuditEventController {

  /** Unix seconds PostgreSQL can hold as a timestamp: 1970 to 9999. */
  private static final long MAX_SECONDS = 253_402_300_799L;

  private final JdbcClient jdbc;
  private final JsonMapper json;

  AuditEventController(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  record Actor(String kind, String id, String credentialId, String name, String role) {}

  record Target(String type, String id) {}

  record AuditEvent(
      long seq,
      String object,
      long created,
      String occurredAt,
      Actor actor,
      String action,
      Target target,
      String requestId,
      JsonNode changes,
      String prevHash,
      String hash) {}

  record AuditEventList(String object, String url, boolean hasMore, List<AuditEvent> data) {}

  @GetMapping("/admin/v1/audit_events")
  @Operation(summary = "The audit log, newest first (admin)")
  AuditEventList list(
      @Parameter(description = "1 to 100, default 10") @RequestParam(defaultValue = "10") int limit,
      @Parameter(description = "A seq: the page after it (older events)")
          @RequestParam(name = "starting_after", required = false)
          Long startingAfter,
      @Parameter(description = "A seq: the page before it (newer events)")
          @RequestParam(name = "ending_before", required = false)
          Long endingBefore,
      @Parameter(description = "The actor's id: a merchant id, a staff subject, bootstrap")
          @RequestParam(required = false)
          String actor,
      @Parameter(description = "e.g. api_key.revoked") @RequestParam(required = false)
          String action,
      @RequestParam(name = "target_type", required = false) String targetType,
      @RequestParam(name = "target_id", required = false) String targetId,
      @Parameter(description = "Unix seconds")
          @RequestParam(name = "created[gte]", required = false)
          Long createdGte,
      @Parameter(description = "Unix seconds")
          @RequestParam(name = "created[lte]", required = false)
          Long createdLte) {
    if (limit < 1 || limit > 100) {
      throw ApiException.invalid("limit", "parameter_invalid", "limit must be between 1 and 100");
    }
    if (startingAfter != null && endingBefore != null) {
      throw ApiException.invalid(
          "ending_before", "parameter_invalid", "Send starting_after or ending_before, not both");
    }
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
    Map<String, Object> params = new HashMap<>();
    equal(sql, params, "actor", "actor_id", actor);
    equal(sql, params, "action", "action", action);
    equal(sql, params, "target_type", "target_type", targetType);
    equal(sql, params, "target_id", "target_id", targetId);
    created(sql, params, "gte", ">=", createdGte);
    created(sql, params, "lte", "<=", createdLte);
    boolean backwards = endingBefore != null;
    Long cursor = backwards ? endingBefore : startingAfter;
    if (cursor != null) {
      if (cursor < 1) {
        throw ApiException.invalid(
            backwards ? "ending_before" : "starting_after",
            "parameter_invalid",
            "A cursor is the seq of an audit event: 1 or more");
      }
      sql.append(backwards ? " AND seq > :cursor" : " AND seq < :cursor");
      params.put("cursor", cursor);
    }
    sql.append(backwards ? " ORDER BY seq" : " ORDER BY seq DESC").append(" LIMIT :limit");
    params.put("limit", limit + 1);
    List<AuditEvent> events =
        new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(this::map).list());
    boolean hasMore = events.size() > limit;
    if (hasMore) {
      events.removeLast();
    }
    if (backwards) {
      Collections.reverse(events);
    }
    return new AuditEventList("list", "/admin/v1/audit_events", hasMore, events);
  }

  private static final String SELECT =
      """
      SELECT seq, occurred_at, actor_kind, actor_id, actor_credential_id, actor_name, actor_role,
             action, target_type, target_id, request_id, changes, prev_hash, hash
      FROM audit_log
      """;

  private static void equal(
      StringBuilder sql, Map<String, Object> params, String param, String column, String value) {
    if (value != null) {
      if (value.length() > 200 || value.indexOf('\0') >= 0) {
        throw ApiException.invalid(
            param, "parameter_invalid", param + " must be at most 200 characters, without NUL");
      }
      sql.append(" AND ").append(column).append(" = :").append(column);
      params.put(column, value);
    }
  }

  private static void created(
      StringBuilder sql, Map<String, Object> params, String name, String operator, Long seconds) {
    if (seconds != null) {
      if (seconds < 0 || seconds > MAX_SECONDS) {
        throw ApiException.invalid(
            "created[" + name + "]",
            "parameter_invalid",
            "created[" + name + "] must be Unix seconds between 0 and " + MAX_SECONDS);
      }
      sql.append(" AND occurred_at ").append(operator).append(" :created_").append(name);
      params.put(
          "created_" + name,
          OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC));
    }
  }

  private AuditEvent map(ResultSet row, int n) throws SQLException {
    AuditRecord record = AuditRecord.read(row);
    return new AuditEvent(
        record.seq(),
        "audit_event",
        record.occurredAt().getEpochSecond(),
        record.occurredAt().toString(),
        new Actor(
            record.actor().kind(),
            record.actor().id(),
            record.actor().credentialId(),
            record.actor().name(),
            record.actor().role()),
        record.action(),
        new Target(record.target().type(), record.target().id()),
        record.requestId(),
        json.readTree(record.changes()),
        record.prevHash(),
        record.hash());
  }
}
