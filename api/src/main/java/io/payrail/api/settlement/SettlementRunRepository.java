package io.payrail.api.settlement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settlement runs, what each computed per merchant, and their payout files (V10), for finance to
 * read. The settlement workflows' activities write them; nothing here does.
 */
@Repository
class SettlementRunRepository {

  private static final String RUNS =
      """
      SELECT id, currency, business_date, run_number, workflow_id, window_start, window_end,
             status, supersedes_run_id, requested_by, reason, approved_by, created_at,
             completed_at
      FROM settlement_runs
      """;

  private static final String FILES =
      """
      SELECT f.id, f.run_id, f.rail, f.currency, f.format, f.file_name, f.sha256, f.entry_count,
             f.total_amount, f.control::text AS control, f.status, f.approved_by, f.bank_file_id,
             f.transmitted_at, f.acknowledged_at, f.created_at, f.updated_at,
             r.business_date, r.run_number, r.requested_by
      FROM payout_files f JOIN settlement_runs r ON r.id = f.run_id
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;

  SettlementRunRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  record Run(
      long id,
      String currency,
      LocalDate businessDate,
      int runNumber,
      String workflowId,
      OffsetDateTime windowStart,
      OffsetDateTime windowEnd,
      String status,
      Long supersedesRunId,
      String requestedBy,
      String reason,
      String approvedBy,
      OffsetDateTime createdAt,
      OffsetDateTime completedAt) {}

  record MerchantSettlement(
      String merchantId,
      Long termsId,
      int captureCount,
      int refundCount,
      long gross,
      long refunds,
      long fees,
      long reserveHeld,
      long reserveReleased,
      long net) {}

  record PayoutFile(
      String id,
      long runId,
      String rail,
      String currency,
      String format,
      String fileName,
      String sha256,
      int entryCount,
      long totalAmount,
      JsonNode control,
      String status,
      String approvedBy,
      String bankFileId,
      OffsetDateTime transmittedAt,
      OffsetDateTime acknowledgedAt,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      LocalDate businessDate,
      int runNumber,
      String requestedBy) {}

  /**
   * Runs, newest business date first, then highest run number; {@code limit + 1} rows so the caller
   * knows whether there are more.
   */
  List<Run> runs(String currency, LocalDate businessDate, Long beforeId, int limit) {
    StringBuilder sql = new StringBuilder(RUNS).append(" WHERE TRUE");
    Map<String, Object> params = new HashMap<>();
    if (currency != null) {
      sql.append(" AND currency = :currency");
      params.put("currency", currency);
    }
    if (businessDate != null) {
      sql.append(" AND business_date = :date");
      params.put("date", businessDate);
    }
    if (beforeId != null) {
      sql.append(
          " AND (business_date, run_number, id) < (SELECT business_date, run_number, id"
              + " FROM settlement_runs WHERE id = :before)");
      params.put("before", beforeId);
    }
    sql.append(" ORDER BY business_date DESC, run_number DESC, id DESC LIMIT :limit");
    params.put("limit", limit + 1);
    return jdbc.sql(sql.toString()).params(params).query(SettlementRunRepository::run).list();
  }

  Optional<Run> run(long id) {
    return jdbc.sql(RUNS + " WHERE id = ?")
        .param(id)
        .query(SettlementRunRepository::run)
        .optional();
  }

  /** A run's rows by merchant id, after {@code afterMerchant}; {@code limit + 1} rows. */
  List<MerchantSettlement> merchantSettlements(long runId, String afterMerchant, int limit) {
    return new ArrayList<>(
        jdbc.sql(
                """
                SELECT merchant_id, terms_id, capture_count, refund_count, gross, refunds, fees,
                       reserve_held, reserve_released, net
                FROM merchant_settlements
                WHERE run_id = ? AND merchant_id > ?
                ORDER BY merchant_id LIMIT ?
                """)
            .params(runId, afterMerchant == null ? "" : afterMerchant, limit + 1)
            .query(
                (row, n) ->
                    new MerchantSettlement(
                        row.getString("merchant_id"),
                        (Long) row.getObject("terms_id"),
                        row.getInt("capture_count"),
                        row.getInt("refund_count"),
                        row.getLong("gross"),
                        row.getLong("refunds"),
                        row.getLong("fees"),
                        row.getLong("reserve_held"),
                        row.getLong("reserve_released"),
                        row.getLong("net")))
            .list());
  }

  /** The run's totals over every merchant, for the run page's header. */
  Map<String, Object> totals(long runId) {
    return jdbc.sql(
            """
            SELECT count(*) AS merchants, coalesce(sum(gross), 0) AS gross,
                   coalesce(sum(refunds), 0) AS refunds, coalesce(sum(fees), 0) AS fees,
                   coalesce(sum(reserve_held), 0) AS reserve_held,
                   coalesce(sum(reserve_released), 0) AS reserve_released,
                   coalesce(sum(net), 0) AS net
            FROM merchant_settlements WHERE run_id = ?
            """)
        .param(runId)
        .query()
        .singleRow();
  }

  List<PayoutFile> files(long runId) {
    return jdbc.sql(FILES + " WHERE f.run_id = ? ORDER BY f.rail")
        .param(runId)
        .query(this::mapFile)
        .list();
  }

  Optional<PayoutFile> file(String id) {
    return jdbc.sql(FILES + " WHERE f.id = ?").param(id).query(this::mapFile).optional();
  }

  private static Run run(ResultSet row, int rowNumber) throws SQLException {
    return new Run(
        row.getLong("id"),
        row.getString("currency"),
        row.getObject("business_date", LocalDate.class),
        row.getInt("run_number"),
        row.getString("workflow_id"),
        row.getObject("window_start", OffsetDateTime.class),
        row.getObject("window_end", OffsetDateTime.class),
        row.getString("status"),
        (Long) row.getObject("supersedes_run_id"),
        row.getString("requested_by"),
        row.getString("reason"),
        row.getString("approved_by"),
        row.getObject("created_at", OffsetDateTime.class),
        row.getObject("completed_at", OffsetDateTime.class));
  }

  private PayoutFile mapFile(ResultSet row, int rowNumber) throws SQLException {
    return new PayoutFile(
        row.getString("id"),
        row.getLong("run_id"),
        row.getString("rail"),
        row.getString("currency"),
        row.getString("format"),
        row.getString("file_name"),
        row.getString("sha256"),
        row.getInt("entry_count"),
        row.getLong("total_amount"),
        json.readTree(row.getString("control")),
        row.getString("status"),
        row.getString("approved_by"),
        row.getString("bank_file_id"),
        row.getObject("transmitted_at", OffsetDateTime.class),
        row.getObject("acknowledged_at", OffsetDateTime.class),
        row.getObject("created_at", OffsetDateTime.class),
        row.getObject("updated_at", OffsetDateTime.class),
        row.getObject("business_date", LocalDate.class),
        row.getInt("run_number"),
        row.getString("requested_by"));
  }
}
