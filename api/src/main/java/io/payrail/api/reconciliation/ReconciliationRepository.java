package io.payrail.api.reconciliation;

import io.payrail.api.error.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Settlement reports and reconciliation breaks as finance reads them: newest first, in cursor pages
 * keyed on (time, id), as the merchant lists are.
 */
@Repository
class ReconciliationRepository {

  /** A report as listed. Amounts are minor units of {@code currency}. */
  record Report(
      String id,
      String object,
      String currency,
      String date,
      String sha256,
      int lineCount,
      long totalGross,
      long totalFee,
      long totalNet,
      String status,
      Integer matched,
      Integer breaks,
      String workflowId,
      long received,
      Long reconciled) {}

  /** A break as listed; {@code ageDays} whole days since it opened (or until it was resolved). */
  record Break(
      String id,
      String object,
      String report,
      String kind,
      String reference,
      String currency,
      Long expectedAmount,
      Long reportedAmount,
      int occurrences,
      String status,
      long opened,
      int ageDays,
      Long lastAlerted,
      int alertCount,
      String resolutionNote,
      String resolvedBy,
      Long resolved) {}

  /** Filters of the break list; null: any. */
  record BreakFilter(
      String status, String kind, String currency, Integer minAgeDays, String report) {}

  record Page<T>(List<T> data, boolean hasMore) {}

  private static final String REPORTS =
      """
      SELECT id, currency, report_date, sha256, line_count, total_gross, total_fee, total_net,
             status, matched_count, break_count, workflow_id, received_at AS at, reconciled_at
      FROM settlement_reports r
      """;

  private static final String BREAKS =
      """
      SELECT id, report_id, kind, reference, currency, expected_amount, reported_amount,
             occurrences, status, opened_at AS at,
             floor(extract(epoch FROM coalesce(resolved_at, now()) - opened_at) / 86400)::int
                 AS age_days,
             last_alerted_at, alert_count, resolution_note, resolved_by, resolved_at
      FROM reconciliation_breaks b
      """;

  private final JdbcClient jdbc;

  ReconciliationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Page<Report> reports(String currency, int limit, String startingAfter) {
    Map<String, Object> params = new HashMap<>();
    StringBuilder where = new StringBuilder(" WHERE TRUE");
    if (currency != null) {
      where.append(" AND r.currency = :currency");
      params.put("currency", currency);
    }
    return page(
        REPORTS,
        "settlement_reports",
        "received_at",
        "r",
        where,
        params,
        limit,
        startingAfter,
        this::report);
  }

  Page<Break> breaks(BreakFilter filter, int limit, String startingAfter) {
    Map<String, Object> params = new HashMap<>();
    StringBuilder where = new StringBuilder(" WHERE TRUE");
    if (filter.status() != null) {
      where.append(" AND b.status = :status");
      params.put("status", filter.status());
    }
    if (filter.kind() != null) {
      where.append(" AND b.kind = :kind");
      params.put("kind", filter.kind());
    }
    if (filter.currency() != null) {
      where.append(" AND b.currency = :currency");
      params.put("currency", filter.currency());
    }
    if (filter.report() != null) {
      where.append(" AND b.report_id = :report");
      params.put("report", filter.report());
    }
    if (filter.minAgeDays() != null) {
      where.append(" AND b.opened_at <= now() - make_interval(days => :age)");
      params.put("age", filter.minAgeDays());
    }
    return page(
        BREAKS,
        "reconciliation_breaks",
        "opened_at",
        "b",
        where,
        params,
        limit,
        startingAfter,
        this::breakRow);
  }

  Optional<Break> findBreak(String id) {
    return jdbc.sql(BREAKS + " WHERE b.id = ?").param(id).query(this::breakRow).optional();
  }

  /**
   * Resolves an open break, locking it; empty when it is not open (resolved meanwhile, or no such
   * break): the caller tells which.
   */
  Optional<Break> resolve(String id, String note, String resolvedBy) {
    int updated =
        jdbc.sql(
                """
                UPDATE reconciliation_breaks
                SET status = 'resolved', resolution_note = ?, resolved_by = ?, resolved_at = now()
                WHERE id = ? AND status = 'open'
                """)
            .params(note, resolvedBy, id)
            .update();
    return updated == 0 ? Optional.empty() : findBreak(id);
  }

  private <T> Page<T> page(
      String select,
      String table,
      String timeColumn,
      String alias,
      StringBuilder where,
      Map<String, Object> params,
      int limit,
      String startingAfter,
      org.springframework.jdbc.core.RowMapper<T> mapper) {
    if (startingAfter != null) {
      OffsetDateTime at =
          jdbc.sql("SELECT " + timeColumn + " FROM " + table + " WHERE id = ?")
              .param(startingAfter)
              .query(OffsetDateTime.class)
              .optional()
              .orElseThrow(
                  () ->
                      ApiException.invalid(
                          "starting_after",
                          "resource_missing",
                          "No such object: " + startingAfter));
      where
          .append(" AND (")
          .append(alias)
          .append('.')
          .append(timeColumn)
          .append(", ")
          .append(alias)
          .append(".id) < (:cursor_at, :cursor_id)");
      params.put("cursor_at", at);
      params.put("cursor_id", startingAfter);
    }
    params.put("limit", limit + 1);
    List<T> rows =
        new ArrayList<>(
            jdbc.sql(
                    select
                        + where
                        + " ORDER BY "
                        + alias
                        + "."
                        + timeColumn
                        + " DESC, "
                        + alias
                        + ".id DESC LIMIT :limit")
                .params(params)
                .query(mapper)
                .list());
    boolean hasMore = rows.size() > limit;
    return new Page<>(
        Collections.unmodifiableList(hasMore ? rows.subList(0, limit) : rows), hasMore);
  }

  private Report report(ResultSet row, int n) throws SQLException {
    return new Report(
        row.getString("id"),
        "settlement_report",
        row.getString("currency"),
        row.getObject("report_date", java.time.LocalDate.class).toString(),
        row.getString("sha256"),
        row.getInt("line_count"),
        row.getLong("total_gross"),
        row.getLong("total_fee"),
        row.getLong("total_net"),
        row.getString("status"),
        (Integer) row.getObject("matched_count"),
        (Integer) row.getObject("break_count"),
        row.getString("workflow_id"),
        epoch(row, "at"),
        epochOrNull(row, "reconciled_at"));
  }

  private Break breakRow(ResultSet row, int n) throws SQLException {
    return new Break(
        row.getString("id"),
        "reconciliation_break",
        row.getString("report_id"),
        row.getString("kind"),
        row.getString("reference"),
        row.getString("currency"),
        (Long) row.getObject("expected_amount"),
        (Long) row.getObject("reported_amount"),
        row.getInt("occurrences"),
        row.getString("status"),
        epoch(row, "at"),
        row.getInt("age_days"),
        epochOrNull(row, "last_alerted_at"),
        row.getInt("alert_count"),
        row.getString("resolution_note"),
        row.getString("resolved_by"),
        epochOrNull(row, "resolved_at"));
  }

  private static long epoch(ResultSet row, String column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toEpochSecond();
  }

  private static Long epochOrNull(ResultSet row, String column) throws SQLException {
    OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
    return at == null ? null : at.toEpochSecond();
  }
}
