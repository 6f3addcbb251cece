package io.payrail.activities.reconciliation;

import io.payrail.workflows.reconciliation.IngestedReport;
import io.payrail.workflows.reconciliation.ReconciliationSummary;
import java.security.SecureRandom;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconciliation's SQL, in one place: reports stored once by hash with their lines, matching
 * done set-wise in one transaction per report, and the ageing of breaks.
 */
final class ReconciliationStore {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The daily check that falls N days after matching alerts breaks N days old: asOf is Temporal's
   * time and opened_at PostgreSQL's, so the comparison allows for their clocks differing by this.
   */
  static final Duration CLOCK_TOLERANCE = Duration.ofHours(1);

  /** An open break past the alert threshold. */
  record AgedBreak(String id, String kind, String reference, Instant openedAt) {}

  private final JdbcTemplate template;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  ReconciliationStore(JdbcTemplate template, PlatformTransactionManager transactionManager) {
    this.template = template;
    this.jdbc = JdbcClient.create(template);
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /** The report of that day and currency stored with that hash, if any. */
  Optional<IngestedReport> find(String currency, LocalDate date, String sha256) {
    return jdbc.sql(
            """
            SELECT id, sha256, line_count, total_gross, status = 'reconciled' AS reconciled
            FROM settlement_reports WHERE currency = ? AND report_date = ? AND sha256 = ?
            """)
        .params(currency, Date.valueOf(date), sha256)
        .query(
            (row, n) ->
                new IngestedReport(
                    row.getString(1),
                    row.getString(2),
                    row.getInt(3),
                    row.getLong(4),
                    false,
                    row.getBoolean(5)))
        .optional();
  }

  /**
   * Stores the report and its lines in one transaction, unless a report with the same hash is there
   * (stored meanwhile by another attempt): then that one, with {@code firstIngestion} false.
   */
  IngestedReport insert(ReportFile report, String sha256, String workflowId) {
    String id = "sr_" + random(24);
    Boolean inserted =
        transactions.execute(
            status -> {
              int rows =
                  jdbc.sql(
                          """
                          INSERT INTO settlement_reports (id, currency, report_date, sha256,
                              line_count, total_gross, total_fee, total_net, status, workflow_id)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ingested', ?)
                          ON CONFLICT (currency, report_date, sha256) DO NOTHING
                          """)
                      .params(
                          id,
                          report.currency(),
                          Date.valueOf(report.date()),
                          sha256,
                          report.lines().size(),
                          report.totalGross(),
                          report.totalFee(),
                          report.totalNet(),
                          workflowId)
                      .update();
              if (rows == 0) {
                return false;
              }
              insertLines(id, report.lines());
              return true;
            });
    if (!Boolean.TRUE.equals(inserted)) {
      return find(report.currency(), report.date(), sha256).orElseThrow();
    }
    return new IngestedReport(id, sha256, report.lines().size(), report.totalGross(), true, false);
  }

  private void insertLines(String reportId, List<ReportFile.Line> lines) {
    template.batchUpdate(
        """
        INSERT INTO reconciliation_lines (report_id, line_no, reference, type, gross, fee, net,
                                          batch, settled_date)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        lines,
        1000,
        (statement, line) -> {
          statement.setString(1, reportId);
          statement.setInt(2, line.lineNo());
          statement.setString(3, line.reference());
          statement.setString(4, line.type());
          statement.setLong(5, line.gross());
          statement.setLong(6, line.fee());
          statement.setLong(7, line.net());
          statement.setString(8, line.batch());
          statement.setDate(9, Date.valueOf(line.settledDate()));
        });
  }

  /**
   * Matches the report's lines and opens its breaks, once: a reconciled report is only read back.
   * Locks the report row, so two attempts never match it at the same time.
   */
  ReconciliationSummary match(String reportId) {
    return transactions.execute(
        status -> {
          Map<String, Object> report =
              jdbc.sql(
                      """
                      SELECT currency, report_date, status FROM settlement_reports
                      WHERE id = ? FOR UPDATE
                      """)
                  .param(reportId)
                  .query()
                  .singleRow();
          if (!"reconciled".equals(report.get("status"))) {
            Map<String, Object> params =
                Map.of(
                    "report", reportId,
                    "currency", report.get("currency"),
                    "day", report.get("report_date"));
            matchLines(params);
            openBreaks(params);
            resolveExplained(params);
            markReconciled(reportId);
          }
          return summary(reportId);
        });
  }

  /** Each line's item (by bank reference, in the report's currency), its entry and outcome. */
  private void matchLines(Map<String, Object> params) {
    jdbc.sql(
            """
            UPDATE reconciliation_lines l
            SET item_id = i.id,
                journal_entry_id = (
                    SELECT j.id FROM journal_entries j
                    WHERE j.payment_id = i.payment_id AND j.kind = i.kind
                      AND (i.kind = 'capture'
                           OR left(j.idempotency_key, length(i.id) + 1) = i.id || ':')
                    ORDER BY j.id LIMIT 1)
            FROM settlement_items i
            WHERE l.report_id = :report AND i.bank_reference = l.reference
              AND i.currency = :currency
            """)
        .params(params)
        .update();
    jdbc.sql(
            """
            UPDATE reconciliation_lines l
            SET outcome = CASE
                    WHEN r.occurrence > 1 THEN 'duplicate'
                    WHEN l.item_id IS NULL THEN 'unexpected'
                    WHEN l.gross <> (SELECT i.amount FROM settlement_items i WHERE i.id = l.item_id)
                        THEN 'amount_mismatch'
                    ELSE 'matched' END
            FROM (SELECT line_no,
                         row_number() OVER (PARTITION BY reference ORDER BY line_no) AS occurrence
                  FROM reconciliation_lines WHERE report_id = :report) r
            WHERE l.report_id = :report AND l.line_no = r.line_no
            """)
        .params(params)
        .update();
  }

  /**
   * One break per (report, kind, reference). Ids are {@code rb_} and 24 hex digits of a random
   * UUID, drawn by the database, so one statement opens any number of breaks.
   */
  private void openBreaks(Map<String, Object> params) {
    String id = "'rb_' || left(replace(gen_random_uuid()::text, '-', ''), 24)";
    jdbc.sql(
            "INSERT INTO reconciliation_breaks (id, report_id, kind, reference, item_id, currency,"
                + " expected_amount, reported_amount, status)"
                + " SELECT "
                + id
                + """
                , l.report_id, l.outcome, l.reference, l.item_id, :currency,
                       i.amount, l.gross, 'open'
                FROM reconciliation_lines l LEFT JOIN settlement_items i ON i.id = l.item_id
                WHERE l.report_id = :report AND l.outcome IN ('unexpected', 'amount_mismatch')
                ON CONFLICT (report_id, kind, reference) DO NOTHING
                """)
        .params(params)
        .update();
    jdbc.sql(
            "INSERT INTO reconciliation_breaks (id, report_id, kind, reference, item_id, currency,"
                + " expected_amount, reported_amount, occurrences, status)"
                + " SELECT "
                + id
                + """
                , :report, 'duplicate', d.reference, d.item_id, :currency,
                       i.amount, d.gross, d.occurrences, 'open'
                FROM (SELECT reference, min(item_id) AS item_id, min(gross) AS gross,
                             count(*) AS occurrences
                      FROM reconciliation_lines WHERE report_id = :report
                      GROUP BY reference HAVING count(*) > 1) d
                LEFT JOIN settlement_items i ON i.id = d.item_id
                ON CONFLICT (report_id, kind, reference) DO NOTHING
                """)
        .params(params)
        .update();
    // Missing: an item of the report's (UTC) day that no line of this report names, nor any
    // line of another day's report (a capture the bank settled just across midnight).
    jdbc.sql(
            "INSERT INTO reconciliation_breaks (id, report_id, kind, reference, item_id, currency,"
                + " expected_amount, status)"
                + " SELECT "
                + id
                + """
                , :report, 'missing', i.bank_reference, i.id, :currency, i.amount, 'open'
                FROM settlement_items i
                WHERE i.currency = :currency
                  AND i.occurred_at >= (:day::date)::timestamp AT TIME ZONE 'UTC'
                  AND i.occurred_at < (:day::date + 1)::timestamp AT TIME ZONE 'UTC'
                  AND NOT EXISTS (
                      SELECT 1 FROM reconciliation_lines l
                      JOIN settlement_reports r ON r.id = l.report_id
                      WHERE l.reference = i.bank_reference AND r.currency = :currency
                        AND (r.id = :report OR r.report_date <> :day::date))
                ON CONFLICT (report_id, kind, reference) DO NOTHING
                """)
        .params(params)
        .update();
  }

  /**
   * Resolves, as the system, what this report explains: missing breaks of other days whose
   * reference it names, and the open breaks of an earlier file of the same day, which it replaces.
   */
  private void resolveExplained(Map<String, Object> params) {
    jdbc.sql(
            """
            UPDATE reconciliation_breaks b
            SET status = 'resolved', resolved_by = 'system', resolved_at = now(),
                resolution_note = 'reported in ' || :report || ' of another day'
            WHERE b.kind = 'missing' AND b.status = 'open' AND b.currency = :currency
              AND b.report_id IN (SELECT id FROM settlement_reports
                                  WHERE currency = :currency AND report_date <> :day::date)
              AND EXISTS (SELECT 1 FROM reconciliation_lines l
                          WHERE l.report_id = :report AND l.reference = b.reference)
            """)
        .params(params)
        .update();
    jdbc.sql(
            """
            UPDATE reconciliation_breaks b
            SET status = 'resolved', resolved_by = 'system', resolved_at = now(),
                resolution_note = 'superseded by the corrected report ' || :report
            FROM settlement_reports r
            WHERE r.id = b.report_id AND b.status = 'open' AND r.id <> :report
              AND r.currency = :currency AND r.report_date = :day::date
            """)
        .params(params)
        .update();
  }

  private void markReconciled(String reportId) {
    jdbc.sql(
            """
            UPDATE settlement_reports
            SET status = 'reconciled', reconciled_at = now(),
                matched_count = (SELECT count(*) FROM reconciliation_lines
                                 WHERE report_id = :report AND outcome = 'matched'),
                break_count = (SELECT count(*) FROM reconciliation_breaks
                               WHERE report_id = :report)
            WHERE id = :report
            """)
        .param("report", reportId)
        .update();
  }

  ReconciliationSummary summary(String reportId) {
    Map<String, Integer> byKind = new java.util.HashMap<>();
    jdbc.sql("SELECT kind, count(*) FROM reconciliation_breaks WHERE report_id = ? GROUP BY kind")
        .param(reportId)
        .query((row, n) -> byKind.put(row.getString(1), row.getInt(2)))
        .list();
    int matched =
        jdbc.sql(
                "SELECT count(*) FROM reconciliation_lines WHERE report_id = ?"
                    + " AND outcome = 'matched'")
            .param(reportId)
            .query(Integer.class)
            .single();
    return new ReconciliationSummary(
        matched,
        byKind.getOrDefault("missing", 0),
        byKind.getOrDefault("unexpected", 0),
        byKind.getOrDefault("amount_mismatch", 0),
        byKind.getOrDefault("duplicate", 0));
  }

  /** How many of the report's breaks are open. */
  int openBreaks(String reportId) {
    return jdbc.sql(
            "SELECT count(*) FROM reconciliation_breaks WHERE report_id = ? AND status = 'open'")
        .param(reportId)
        .query(Integer.class)
        .single();
  }

  /**
   * The report's open breaks opened at least {@code age} before {@code asOf}, marking them alerted
   * at {@code asOf}. Breaks already alerted at {@code asOf} (a retried check) come back unmarked
   * again, so the count is the same on a retry and nothing is counted twice.
   */
  List<AgedBreak> aged(String reportId, Instant asOf, Duration age) {
    Timestamp at = Timestamp.from(asOf);
    Timestamp openedBefore = Timestamp.from(asOf.minus(age).plus(CLOCK_TOLERANCE));
    jdbc.sql(
            """
            UPDATE reconciliation_breaks
            SET last_alerted_at = :at, alert_count = alert_count + 1
            WHERE report_id = :report AND status = 'open' AND opened_at <= :before
              AND last_alerted_at IS DISTINCT FROM :at
            """)
        .param("at", at)
        .param("report", reportId)
        .param("before", openedBefore)
        .update();
    return jdbc.sql(
            """
            SELECT id, kind, reference, opened_at FROM reconciliation_breaks
            WHERE report_id = ? AND status = 'open' AND opened_at <= ?
            ORDER BY opened_at, id
            """)
        .params(reportId, openedBefore)
        .query(
            (row, n) ->
                new AgedBreak(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getTimestamp(4).toInstant()))
        .list();
  }

  private static String random(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
