package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.api.security.Caller;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a finance rerun (run n+1 of a currency's business day) once per Idempotency-Key: the key
 * of a staff request is (the caller's subject, the header), kept in {@code staff_idempotency_keys},
 * since staff have no merchant. In one transaction: the key is claimed, the rerun's run row and its
 * {@code settlement_rerun.requested} audit record are written, and its {@link
 * DailySettlementWorkflow} is started (its id derived from the day and run number, so a start
 * repeated after a lost answer finds it). A failure rolls all of it back.
 */
@Service
class Reruns {

  static final String PATH = "/staff/v1/settlement/reruns";

  private final JdbcClient jdbc;
  private final WorkflowClient temporal;
  private final AuditLog audit;
  private final SettlementProperties settlement;
  private final JsonMapper json;

  Reruns(
      JdbcClient jdbc,
      WorkflowClient temporal,
      AuditLog audit,
      SettlementProperties settlement,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.audit = audit;
    this.settlement = settlement;
    this.json = json;
  }

  /** The answer: 201 with the rerun the first time, the same body again for the same request. */
  record Answer(int status, JsonNode body) {}

  record Rerun(
      String id,
      String object,
      String workflowId,
      String currency,
      LocalDate businessDate,
      int runNumber,
      String supersedes,
      String requestedBy,
      String reason,
      String status) {}

  @Transactional
  Answer request(
      Caller caller, String idempotencyKey, String currency, LocalDate date, String reason) {
    String hash = hash(currency + "\n" + date + "\n" + reason);
    boolean claimed =
        jdbc.sql(
                    """
                    INSERT INTO staff_idempotency_keys (subject, idempotency_key, request_path,
                                                        request_hash)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (subject, idempotency_key) DO NOTHING
                    """)
                .params(caller.id(), idempotencyKey, PATH, hash)
                .update()
            == 1;
    if (!claimed) {
      return replay(caller, idempotencyKey, hash);
    }
    SettlementCalendar calendar = calendar(currency);
    Map<String, Object> latest = latestRun(currency, date);
    if (!"posted".equals(latest.get("status"))) {
      throw conflict(
          "settlement_run_not_posted",
          "Run "
              + latest.get("workflow_id")
              + " is "
              + latest.get("status")
              + ": a day is rerun once its latest run is posted");
    }
    int runNumber = ((Number) latest.get("next_run_number")).intValue();
    String workflowId = DailySettlementWorkflow.workflowId(currency, date.toString(), runNumber);
    long supersedes = ((Number) latest.get("id")).longValue();
    long runId = openRun(runNumber, workflowId, supersedes, caller.id(), reason);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("currency", currency);
    after.put("business_date", date.toString());
    after.put("run", runNumber);
    after.put("supersedes_run_id", supersedes);
    after.put("reason", reason);
    audit.record(
        "settlement_rerun.requested",
        AuditTarget.of("settlement_run", Long.toString(runId)),
        AuditChanges.created(after));
    start(calendar, date, runNumber, workflowId, caller.id(), reason);
    JsonNode body =
        json.valueToTree(
            new Rerun(
                Long.toString(runId),
                "settlement_rerun",
                workflowId,
                currency,
                date,
                runNumber,
                Long.toString(supersedes),
                caller.id(),
                reason,
                "computing"));
    jdbc.sql(
            """
            UPDATE staff_idempotency_keys
            SET run_id = ?, response_status = 201, response_body = CAST(? AS jsonb)
            WHERE subject = ? AND idempotency_key = ?
            """)
        .params(runId, json.writeValueAsString(body), caller.id(), idempotencyKey)
        .update();
    return new Answer(201, body);
  }

  /**
   * Records the rejection of a rerun whose workflow has ended without a decision (it failed: an
   * approval found it stale), as the signed-in finance user, with its {@code
   * settlement_rerun.rejected} audit record. Returns false when the rerun was decided meanwhile.
   */
  @Transactional
  boolean rejectEnded(long rerunId, String note) {
    Caller caller =
        Caller.current().orElseThrow(() -> new IllegalStateException("no caller on /staff"));
    Optional<String> before =
        jdbc.sql(
                """
                UPDATE settlement_runs r SET status = 'rejected', completed_at = now()
                FROM (SELECT id, status FROM settlement_runs WHERE id = ? FOR UPDATE) prior
                WHERE r.id = prior.id AND prior.status IN ('computing', 'awaiting_approval')
                RETURNING prior.status
                """)
            .param(rerunId)
            .query(String.class)
            .optional();
    if (before.isEmpty()) {
      return false;
    }
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("status", "rejected");
    after.put("rejected_by", caller.id());
    after.put("note", note);
    after.put("workflow", "ended without a decision");
    audit.record(
        "settlement_rerun.rejected",
        AuditTarget.of("settlement_run", Long.toString(rerunId)),
        AuditChanges.of(Map.of("status", before.get()), after));
    return true;
  }

  private Answer replay(Caller caller, String idempotencyKey, String hash) {
    Map<String, Object> stored =
        jdbc.sql(
                """
                SELECT request_path, request_hash, response_status, response_body::text AS body
                FROM staff_idempotency_keys WHERE subject = ? AND idempotency_key = ?
                FOR SHARE
                """)
            .params(caller.id(), idempotencyKey)
            .query()
            .singleRow();
    if (!PATH.equals(stored.get("request_path")) || !hash.equals(stored.get("request_hash"))) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          ErrorTypes.IDEMPOTENCY,
          "idempotency_key_reused",
          "This Idempotency-Key was used with another request; use a new key for a new request",
          null);
    }
    if (stored.get("response_status") == null) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorTypes.IDEMPOTENCY,
          "idempotency_key_in_use",
          "A request with this Idempotency-Key is still being processed",
          null);
    }
    return new Answer(
        ((Number) stored.get("response_status")).intValue(),
        json.readTree((String) stored.get("body")));
  }

  private SettlementCalendar calendar(String currency) {
    return settlement.currencies().stream()
        .filter(calendar -> calendar.currency().equals(currency))
        .findFirst()
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "currency",
                    "parameter_invalid",
                    "currency " + currency + " is not a settlement currency"));
  }

  private Map<String, Object> latestRun(String currency, LocalDate date) {
    Optional<Map<String, Object>> latest =
        jdbc
            .sql(
                """
                SELECT id, status, workflow_id,
                       (SELECT max(run_number) + 1 FROM settlement_runs
                        WHERE currency = ? AND business_date = ?) AS next_run_number
                FROM settlement_runs
                WHERE currency = ? AND business_date = ? AND status <> 'rejected'
                ORDER BY run_number DESC LIMIT 1 FOR UPDATE
                """)
            .params(currency, date, currency, date)
            .query()
            .listOfRows()
            .stream()
            .findFirst();
    return latest.orElseThrow(
        () ->
            conflict(
                "settlement_run_missing",
                "No run of "
                    + currency
                    + " "
                    + date
                    + ": a day that never ran is backfilled from its schedule, not rerun"));
  }

  /**
   * Opens run {@code runNumber} beside the day's latest run that was not rejected: after a rejected
   * rerun n+1, the next one is n+2, superseding run n.
   */
  private long openRun(
      int runNumber, String workflowId, long supersedes, String requestedBy, String reason) {
    return jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                window_start, window_end, status, supersedes_run_id, requested_by, reason)
            SELECT currency, business_date, ?, ?, window_start, window_end,
                   'computing', id, ?, ?
            FROM settlement_runs WHERE id = ?
            ON CONFLICT (currency, business_date, run_number) DO NOTHING
            RETURNING id
            """)
        .params(runNumber, workflowId, requestedBy, reason, supersedes)
        .query(Long.class)
        .optional()
        .orElseThrow(
            () ->
                conflict(
                    "rerun_in_progress",
                    "Rerun "
                        + workflowId
                        + " was asked for at the same moment by another request"));
  }

  private void start(
      SettlementCalendar calendar,
      LocalDate date,
      int runNumber,
      String workflowId,
      String requestedBy,
      String reason) {
    DailySettlementWorkflow workflow =
        temporal.newWorkflowStub(
            DailySettlementWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SETTLEMENT)
                .build());
    try {
      WorkflowClient.start(
          workflow::settle,
          new SettlementRequest(calendar, date.toString(), runNumber, requestedBy, reason));
    } catch (WorkflowExecutionAlreadyStarted e) {
      // started by an earlier attempt whose transaction was lost; its run row is written again
    }
  }

  private static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, ErrorTypes.INVALID_REQUEST, code, message, null);
  }

  private static String hash(String request) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(request.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
