package io.payrail.activities.settlement;

import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.Ledger.Entry;
import io.payrail.platform.audit.AuditActor;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.MerchantFigures;
import io.payrail.workflows.settlement.OpenedRun;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.payrail.workflows.settlement.RerunActivities;
import io.payrail.workflows.settlement.RunStatus;
import io.payrail.workflows.settlement.SettlementRequest;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A finance rerun's steps: run n+1 computed beside run n by the daily run's own computation ({@link
 * MerchantSettlements}), and, once approved, applied in one transaction as the difference between
 * the two. Reruns are rare and finance reads their diff merchant by merchant, so the rerun computes
 * the whole day in one statement rather than in batches.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
public class RerunActivitiesImpl implements RerunActivities {

  private static final Logger log = LoggerFactory.getLogger(RerunActivitiesImpl.class);

  /**
   * Per merchant of either run: after (the rerun) and before (run n), and whether run n's net was
   * already made available (by any run of the day: it is made available once). Parameter: rerun id.
   */
  private static final String DIFFERENCES =
      """
      WITH rerun AS (SELECT * FROM settlement_runs WHERE id = ?),
      a AS (SELECT ms.* FROM merchant_settlements ms, rerun WHERE ms.run_id = rerun.id),
      b AS (SELECT ms.* FROM merchant_settlements ms, rerun
            WHERE ms.run_id = rerun.supersedes_run_id)
      SELECT coalesce(a.merchant_id, b.merchant_id) AS merchant_id,
             coalesce(a.capture_count, 0) - coalesce(b.capture_count, 0),
             coalesce(a.refund_count, 0) - coalesce(b.refund_count, 0),
             coalesce(a.gross, 0) - coalesce(b.gross, 0),
             coalesce(a.refunds, 0) - coalesce(b.refunds, 0),
             coalesce(a.fees, 0) - coalesce(b.fees, 0),
             coalesce(a.reserve_held, 0) - coalesce(b.reserve_held, 0),
             coalesce(a.reserve_released, 0) - coalesce(b.reserve_released, 0),
             coalesce(a.net, 0) - coalesce(b.net, 0),
             EXISTS (SELECT 1 FROM settlement_runs s
                     JOIN rerun ON s.currency = rerun.currency
                                AND s.business_date = rerun.business_date
                     JOIN journal_entries e ON e.idempotency_key =
                          'available:' || s.id || ':' || coalesce(a.merchant_id, b.merchant_id))
      FROM a FULL JOIN b ON a.merchant_id = b.merchant_id
      ORDER BY 1
      """;

  private record Rerun(
      long id,
      String currency,
      LocalDate businessDate,
      int runNumber,
      long supersedes,
      String status,
      String requestedBy,
      String approvedBy) {}

  private record Difference(String merchantId, MerchantFigures change, boolean available) {}

  private record VoidedPayout(String id, String merchantId, long amount) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Ledger ledger;
  private final String application;

  public RerunActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      Ledger ledger,
      @Value("${spring.application.name:payrail}") String application) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.ledger = ledger;
    this.application = application;
  }

  @Override
  public OpenedRun openRerun(SettlementRequest request) {
    String currency = request.calendar().currency();
    LocalDate date = LocalDate.parse(request.businessDate());
    int runNumber = request.runNumber();
    if (runNumber < 2) {
      throw ApplicationFailure.newNonRetryableFailure(
          "run 1 is the scheduled run, not a rerun", NOT_RERUNNABLE);
    }
    return transactions.execute(
        status -> {
          Optional<Long> created =
              jdbc.sql(
                      """
                      INSERT INTO settlement_runs (currency, business_date, run_number,
                          workflow_id, window_start, window_end, status, supersedes_run_id,
                          requested_by, reason)
                      SELECT prev.currency, prev.business_date, ?, ?,
                             prev.window_start, prev.window_end, 'computing', prev.id, ?, ?
                      FROM settlement_runs prev
                      WHERE prev.currency = ? AND prev.business_date = ? AND prev.run_number < ?
                        AND prev.status = 'posted'
                        AND NOT EXISTS (
                            SELECT 1 FROM settlement_runs later
                            WHERE later.currency = prev.currency
                              AND later.business_date = prev.business_date
                              AND later.run_number > prev.run_number
                              AND later.run_number < ? AND later.status <> 'rejected')
                      ON CONFLICT (currency, business_date, run_number) DO NOTHING
                      RETURNING id
                      """)
                  .params(
                      runNumber,
                      DailySettlementWorkflow.workflowId(
                          currency, request.businessDate(), runNumber),
                      request.requestedBy(),
                      request.reason(),
                      currency,
                      date,
                      runNumber,
                      runNumber)
                  .query(Long.class)
                  .optional();
          Rerun rerun =
              find(currency, date, runNumber)
                  .orElseThrow(
                      () ->
                          ApplicationFailure.newNonRetryableFailure(
                              "no posted run of "
                                  + currency
                                  + " "
                                  + date
                                  + " comes before run "
                                  + runNumber
                                  + " with only rejected reruns between: nothing to rerun",
                              NOT_RERUNNABLE));
          created.ifPresent(
              id -> {
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("currency", currency);
                after.put("business_date", date.toString());
                after.put("run", runNumber);
                after.put("supersedes_run_id", rerun.supersedes());
                after.put("reason", request.reason());
                audit(request.requestedBy())
                    .record(
                        "settlement_rerun.requested",
                        AuditTarget.of("settlement_run", Long.toString(id)),
                        AuditChanges.created(after));
              });
          return new OpenedRun(rerun.id(), rerun.status());
        });
  }

  @Override
  public void computeRerun(long rerunId) {
    transactions.executeWithoutResult(
        status -> {
          MerchantSettlements.compute(jdbc, rerunId, null, null);
          jdbc.sql(
                  """
                  UPDATE settlement_runs SET status = 'awaiting_approval'
                  WHERE id = ? AND status = 'computing'
                  """)
              .param(rerunId)
              .update();
        });
  }

  @Override
  public List<String> voidablePayoutFiles(long rerunId) {
    Rerun rerun = rerun(rerunId);
    return jdbc.sql(
            """
            SELECT DISTINCT p.rail, prev.run_number
            FROM payouts p
            JOIN settlement_runs prev ON prev.id = p.run_id
            LEFT JOIN payout_files f ON f.id = p.payout_file_id
            WHERE p.run_id = ? AND p.status = 'pending'
              AND (f.id IS NULL OR f.status IN ('generated', 'validated'))
            ORDER BY p.rail
            """)
        .param(rerun.supersedes())
        .query(
            (row, n) ->
                PayoutFileWorkflow.workflowId(
                    rerun.currency(),
                    rerun.businessDate().toString(),
                    row.getInt(2),
                    row.getString(1)))
        .list();
  }

  @Override
  public void awaitPayoutFilesDecided(long rerunId) {
    Rerun rerun = rerun(rerunId);
    List<String> undecided =
        jdbc.sql(
                """
                SELECT id FROM payout_files
                WHERE run_id = ? AND status IN ('generated', 'validated') ORDER BY id
                """)
            .param(rerun.supersedes())
            .query(String.class)
            .list();
    if (!undecided.isEmpty()) {
      throw new IllegalStateException(
          "payout files " + undecided + " of run " + rerun.supersedes() + " not voided yet");
    }
  }

  @Override
  public void applyRerun(long rerunId, Approval approval) {
    transactions.executeWithoutResult(status -> applyNow(rerunId, approval));
  }

  private void applyNow(long rerunId, Approval approval) {
    Rerun rerun = lock(rerunId);
    if (!RunStatus.AWAITING_APPROVAL.equals(rerun.status())) {
      if (approval.approver().equals(rerun.approvedBy())) {
        return; // applied by an earlier attempt of this approval
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "rerun " + rerunId + " is " + rerun.status() + ", not awaiting approval",
          ALREADY_DECIDED);
    }
    // First: the schema lets items move only to an approved rerun, one in status posting.
    jdbc.sql("UPDATE settlement_runs SET status = 'posting', approved_by = ? WHERE id = ?")
        .params(approval.approver(), rerunId)
        .update();
    long moved =
        jdbc.sql("UPDATE settlement_items SET settled_run_id = ? WHERE settled_run_id = ?")
            .params(rerunId, rerun.supersedes())
            .update();
    long claimed =
        jdbc.sql(
                """
                UPDATE settlement_items i SET settled_run_id = r.id
                FROM settlement_runs r
                WHERE r.id = ? AND i.late AND i.settled_run_id IS NULL AND i.currency = r.currency
                  AND i.occurred_at >= r.window_start AND i.occurred_at < r.window_end
                  AND EXISTS (SELECT 1 FROM merchant_settlements ms
                              WHERE ms.run_id = r.id AND ms.merchant_id = i.merchant_id)
                """)
            .param(rerunId)
            .update();
    requireComputedItems(rerunId);
    List<Difference> differences =
        jdbc.sql(DIFFERENCES)
            .param(rerunId)
            .query(
                (row, n) ->
                    new Difference(
                        row.getString(1),
                        new MerchantFigures(
                            row.getInt(2),
                            row.getInt(3),
                            row.getLong(4),
                            row.getLong(5),
                            row.getLong(6),
                            row.getLong(7),
                            row.getLong(8),
                            row.getLong(9)),
                        row.getBoolean(10)))
            .list();
    List<Entry> entries = new ArrayList<>();
    for (Difference difference : differences) {
      SettlementPostings.adjustment(
              rerunId, difference.merchantId(), difference.change(), difference.available())
          .ifPresent(entries::add);
    }
    List<VoidedPayout> voided = voidPendingPayouts(rerun.supersedes());
    voided.forEach(
        payout ->
            entries.add(
                SettlementPostings.payoutReturn(
                    payout.id(), payout.merchantId(), payout.amount())));
    ledger.postAll(Currency.getInstance(rerun.currency()), entries);
    jdbc.sql("UPDATE settlement_runs SET status = 'superseded' WHERE id = ?")
        .param(rerun.supersedes())
        .update();
    // the window passes to the rerun; the schema refuses it while run n still holds it
    jdbc.sql("UPDATE settlement_runs SET claimed_at = now() WHERE id = ?").param(rerunId).update();
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("status", RunStatus.POSTING);
    after.put("approved_by", approval.approver());
    after.put("note", approval.note());
    after.put("supersedes_run_id", rerun.supersedes());
    after.put("items_moved", moved);
    after.put("items_claimed", claimed);
    after.put("adjustments", entries.size() - voided.size());
    after.put("net_change", differences.stream().mapToLong(d -> d.change().net()).sum());
    after.put("payouts_voided", voided.stream().map(VoidedPayout::id).toList());
    audit(approval.approver())
        .record(
            "settlement_rerun.approved",
            AuditTarget.of("settlement_run", Long.toString(rerunId)),
            AuditChanges.of(Map.of("status", RunStatus.AWAITING_APPROVAL), after));
  }

  /**
   * Run n's payouts still pending whose file was voided, rejected or never written: voided here (a
   * file voided by its workflow has voided its own already). A payout whose file was approved is
   * left to the bank.
   */
  private List<VoidedPayout> voidPendingPayouts(long runId) {
    return jdbc.sql(
            """
            UPDATE payouts p SET status = 'voided', updated_at = now()
            WHERE p.run_id = ? AND p.status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM payout_files f WHERE f.id = p.payout_file_id
                              AND f.status NOT IN ('voided', 'rejected'))
            RETURNING p.id, p.merchant_id, p.amount
            """)
        .param(runId)
        .query((row, n) -> new VoidedPayout(row.getString(1), row.getString(2), row.getLong(3)))
        .list();
  }

  @Override
  public void requireFresh(long rerunId) {
    requireComputedItems(rerunId);
  }

  @Override
  public void rejectRerun(long rerunId, Approval rejection) {
    transactions.executeWithoutResult(
        status -> {
          Rerun rerun = lock(rerunId);
          if (RunStatus.REJECTED.equals(rerun.status())) {
            return;
          }
          if (!RunStatus.AWAITING_APPROVAL.equals(rerun.status())) {
            throw ApplicationFailure.newNonRetryableFailure(
                "rerun " + rerunId + " is " + rerun.status() + ", not awaiting approval",
                ALREADY_DECIDED);
          }
          jdbc.sql(
                  "UPDATE settlement_runs SET status = 'rejected', completed_at = now() WHERE id = ?")
              .param(rerunId)
              .update();
          Map<String, Object> after = new LinkedHashMap<>();
          after.put("status", RunStatus.REJECTED);
          after.put("rejected_by", rejection.approver());
          after.put("note", rejection.note());
          audit(rejection.approver())
              .record(
                  "settlement_rerun.rejected",
                  AuditTarget.of("settlement_run", Long.toString(rerunId)),
                  AuditChanges.of(Map.of("status", RunStatus.AWAITING_APPROVAL), after));
        });
  }

  /**
   * Merchants whose items now settled by the rerun differ from what its computation counted: an
   * item committed late, after the computation, or a merchant whose terms no longer put it in the
   * run. Either would settle items the approved figures do not pay.
   */
  private static final String UNCOMPUTED_MERCHANTS =
      """
      SELECT count(*) FROM (
        SELECT merchant_id,
               count(*) FILTER (WHERE kind = 'capture') AS captures,
               count(*) FILTER (WHERE kind = 'refund') AS refund_count,
               coalesce(sum(amount) FILTER (WHERE kind = 'capture'), 0) AS gross,
               coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0) AS refunds
        FROM settlement_run_items WHERE run_id = ? GROUP BY merchant_id
      ) i
      FULL JOIN (SELECT * FROM merchant_settlements WHERE run_id = ?) ms USING (merchant_id)
      WHERE ms.merchant_id IS NULL
         OR (i.merchant_id IS NULL AND ms.capture_count + ms.refund_count > 0)
         OR i.captures <> ms.capture_count OR i.refund_count <> ms.refund_count
         OR i.gross <> ms.gross OR i.refunds <> ms.refunds
      """;

  /**
   * Holds whose release the rerun computed that another run, neither the one it supersedes nor a
   * proposal, has released since (the next day's run, while the rerun waited for its approval):
   * applied, the rerun would release them a second time.
   */
  private static final String RELEASED_SINCE =
      """
      SELECT count(*) FROM reserve_releases mine
      JOIN settlement_runs me ON me.id = mine.release_run_id
      JOIN reserve_releases other ON other.currency = mine.currency
           AND other.held_date = mine.held_date AND other.merchant_id = mine.merchant_id
           AND other.release_run_id <> mine.release_run_id
      JOIN settlement_runs o ON o.id = other.release_run_id
      WHERE mine.release_run_id = ? AND o.status IN ('posting', 'posted')
        AND o.id IS DISTINCT FROM me.supersedes_run_id
      """;

  private void requireComputedItems(long rerunId) {
    long differing =
        jdbc.sql(UNCOMPUTED_MERCHANTS).params(rerunId, rerunId).query(Long.class).single();
    long releasedSince = jdbc.sql(RELEASED_SINCE).param(rerunId).query(Long.class).single();
    if (differing > 0 || releasedSince > 0) {
      String what =
          differing > 0
              ? "the items of " + differing + " merchants changed"
              : releasedSince + " reserves it releases were released by another run";
      // Thrown inside the transaction: the items move back, nothing is posted.
      log.error(
          "settlement.alert rerun {}: {} since it was computed; nothing applied: reject it and"
              + " ask for a new rerun",
          rerunId,
          what);
      throw ApplicationFailure.newNonRetryableFailure(
          "rerun "
              + rerunId
              + " is stale: "
              + what
              + " since it was computed; reject it and"
              + " ask for a new rerun",
          RerunActivities.STALE);
    }
  }

  private static final String RERUN_COLUMNS =
      """
      SELECT id, currency, business_date, run_number, coalesce(supersedes_run_id, 0), status,
             requested_by, approved_by
      FROM settlement_runs
      """;

  private Optional<Rerun> find(String currency, LocalDate date, int runNumber) {
    return jdbc.sql(RERUN_COLUMNS + " WHERE currency = ? AND business_date = ? AND run_number = ?")
        .params(currency, date, runNumber)
        .query((row, n) -> rerunOf(row))
        .optional();
  }

  private Rerun rerun(long rerunId) {
    return jdbc.sql(RERUN_COLUMNS + " WHERE id = ?")
        .param(rerunId)
        .query((row, n) -> rerunOf(row))
        .single();
  }

  private Rerun lock(long rerunId) {
    return jdbc.sql(RERUN_COLUMNS + " WHERE id = ? FOR UPDATE")
        .param(rerunId)
        .query((row, n) -> rerunOf(row))
        .single();
  }

  private static Rerun rerunOf(ResultSet row) throws SQLException {
    return new Rerun(
        row.getLong(1),
        row.getString(2),
        row.getObject(3, LocalDate.class),
        row.getInt(4),
        row.getLong(5),
        row.getString(6),
        row.getString(7),
        row.getString(8));
  }

  /** The finance user is the actor: the workers have no caller of their own to name. */
  private AuditLog audit(String subject) {
    AuditActor actor = new AuditActor("staff", subject, subject, subject, "finance");
    return new AuditLog(jdbc, () -> Optional.of(actor), application, Clock.systemUTC());
  }
}
