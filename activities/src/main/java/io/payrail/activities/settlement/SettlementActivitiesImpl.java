package io.payrail.activities.settlement;

import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.MerchantRange;
import io.payrail.workflows.settlement.OpenedRun;
import io.payrail.workflows.settlement.RunStatus;
import io.payrail.workflows.settlement.SettlementActivities;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The run-level steps of a day's settlement, each one statement or a few, set-based. A run claims
 * its window, not its items (docs/settlement.md): a day of a million items is claimed by writing
 * one row, and only the rare late items are settled item by item.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
public class SettlementActivitiesImpl implements SettlementActivities {

  /** The failure type of a run number this workflow does not open (reruns open their own). */
  public static final String NOT_A_SCHEDULED_RUN = "NotAScheduledRun";

  private static final Logger log = LoggerFactory.getLogger(SettlementActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public SettlementActivitiesImpl(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  @Override
  public OpenedRun openRun(SettlementRequest request) {
    if (request.runNumber() != 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "run "
              + request.runNumber()
              + " is a rerun: a rerun is opened beside the run it"
              + " supersedes, by its approval, not by the daily run",
          NOT_A_SCHEDULED_RUN);
    }
    SettlementCalendar calendar = request.calendar();
    LocalDate date = LocalDate.parse(request.businessDate());
    jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                                         window_start, window_end, status, requested_by, reason)
            SELECT ?, ?, 1, ?,
                   greatest(s.start, coalesce((SELECT max(c.window_end) FROM settlement_runs c
                                               WHERE c.currency = s.currency
                                                 AND c.claimed_at IS NOT NULL
                                                 AND c.status NOT IN ('superseded', 'rejected')
                                                 AND c.window_end > s.start
                                                 AND c.window_end < s.cut_off), s.start)),
                   s.cut_off, ?, ?, ?
            FROM (SELECT CAST(? AS text) AS currency, CAST(? AS timestamptz) AS start,
                         CAST(? AS timestamptz) AS cut_off) s
            ON CONFLICT (currency, business_date, run_number) DO NOTHING
            """)
        .params(
            calendar.currency(),
            date,
            DailySettlementWorkflow.workflowId(calendar.currency(), request.businessDate(), 1),
            RunStatus.COMPUTING,
            request.requestedBy(),
            request.reason(),
            calendar.currency(),
            OffsetDateTime.ofInstant(calendar.windowStartOf(date), ZoneOffset.UTC),
            OffsetDateTime.ofInstant(calendar.cutOffOf(date), ZoneOffset.UTC))
        .update();
    return jdbc.sql(
            """
            SELECT id, status FROM settlement_runs
            WHERE currency = ? AND business_date = ? AND run_number = 1
            """)
        .params(calendar.currency(), date)
        .query((row, n) -> new OpenedRun(row.getLong(1), row.getString(2)))
        .single();
  }

  @Override
  public long claim(long runId) {
    transactions.executeWithoutResult(status -> claimOnce(runId));
    long held =
        jdbc.sql(
                """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM settlement_run_totals WHERE run_id = ?)
                  THEN (SELECT sum(capture_count + refund_count) FROM settlement_run_totals
                        WHERE run_id = ?)
                  ELSE (SELECT count(*) FROM settlement_run_items WHERE run_id = ?) END
                """)
            .params(runId, runId, runId)
            .query(Long.class)
            .single();
    log.info("settlement run {} holds {} items", runId, held);
    return held;
  }

  /**
   * One transaction, once per run ({@code claimed_at}): a claim executed again (an activity retry,
   * a reset) after the run's figures were computed adds nothing to it. Under the currency's
   * exclusive advisory lock, so items being inserted are committed first (V14's insert trigger
   * takes the shared lock): the window's items are then exactly the run's, and any item inserted
   * after this commits is late. The run's items are summed per merchant in one pass over the
   * window, which also finds the merchants without terms whose items are marked late; the others'
   * sums, the run's fixed items, are its {@code settlement_run_totals} (V15), which the batches'
   * computations read by merchant range.
   */
  private void claimOnce(long runId) {
    Map<String, Object> run =
        jdbc.sql(
                """
                SELECT currency, status, claimed_at IS NOT NULL AS claimed
                FROM settlement_runs WHERE id = ? FOR UPDATE
                """)
            .param(runId)
            .query()
            .singleRow();
    if ((Boolean) run.get("claimed") || !RunStatus.COMPUTING.equals(run.get("status"))) {
      return;
    }
    jdbc.sql("SELECT pg_advisory_xact_lock(settlement_claim_lock(?))")
        .param(run.get("currency"))
        .query()
        .listOfRows();
    alert(
        perMerchant(
            runId,
            """
            UPDATE settlement_items i SET settled_run_id = run.id
            FROM run
            WHERE i.late AND i.settled_run_id IS NULL
              AND i.currency = run.currency AND i.occurred_at < run.window_start
              AND i.merchant_id IN (SELECT merchant_id FROM terms)
            """),
        "settlement.alert: run {} settles {} late items ({} minor units) of {}: committed after"
            + " their own day's window was claimed",
        runId);
    List<MerchantSum> sums = sums(runId);
    String[] termless =
        sums.stream()
            .filter(sum -> !sum.termed())
            .map(MerchantSum::merchantId)
            .toArray(String[]::new);
    if (termless.length > 0) {
      alert(
          perMerchant(
              runId,
              """
              UPDATE settlement_items i SET late = true
              FROM run
              WHERE i.settled_run_id IS NULL AND NOT i.late
                AND i.currency = run.currency AND i.merchant_id = ANY(?::text[])
                AND i.occurred_at >= run.window_start AND i.occurred_at < run.window_end
              """,
              (Object) termless),
          "settlement.alert: run {} left {} items ({} minor units) of {} to a later run: no"
              + " settlement terms in force in the run's currency",
          runId);
    }
    List<MerchantSum> termed = sums.stream().filter(MerchantSum::termed).toList();
    jdbc.sql(
            """
            INSERT INTO settlement_run_totals (run_id, merchant_id, capture_count, refund_count,
                                               gross, refunds)
            SELECT ?, * FROM unnest(?::text[], ?::int[], ?::int[], ?::bigint[], ?::bigint[])
            """)
        .param(runId)
        .param(termed.stream().map(MerchantSum::merchantId).toArray(String[]::new))
        .param(termed.stream().mapToInt(MerchantSum::captures).toArray())
        .param(termed.stream().mapToInt(MerchantSum::refundCount).toArray())
        .param(termed.stream().mapToLong(MerchantSum::gross).toArray())
        .param(termed.stream().mapToLong(MerchantSum::refunds).toArray())
        .update();
    jdbc.sql("UPDATE settlement_runs SET claimed_at = now() WHERE id = ?").param(runId).update();
  }

  /** One merchant's items in a run's window, and whether it has terms in force for the run. */
  private record MerchantSum(
      String merchantId, boolean termed, int captures, int refundCount, long gross, long refunds) {}

  /**
   * The run's items ({@code settlement_run_items}) summed per merchant, in one pass over the
   * window: the merchants without terms among them are the ones whose items the claim marks late,
   * the others' sums are the run's totals. The late items this run settles are counted (settled
   * before).
   */
  private List<MerchantSum> sums(long runId) {
    return jdbc.sql(
            "WITH "
                + TermsInForce.CTES
                + """
                , sums AS (
                    SELECT i.merchant_id,
                           count(*) FILTER (WHERE i.kind = 'capture') AS captures,
                           count(*) FILTER (WHERE i.kind = 'refund') AS refund_count,
                           coalesce(sum(i.amount) FILTER (WHERE i.kind = 'capture'), 0) AS gross,
                           coalesce(sum(i.amount) FILTER (WHERE i.kind = 'refund'), 0) AS refunds
                    FROM settlement_run_items i
                    WHERE i.run_id = ?
                    GROUP BY i.merchant_id)
                SELECT s.merchant_id, s.merchant_id IN (SELECT merchant_id FROM terms),
                       s.captures, s.refund_count, s.gross, s.refunds
                FROM sums s
                """)
        .params(runId, null, null, runId)
        .query(
            (row, n) ->
                new MerchantSum(
                    row.getString(1),
                    row.getBoolean(2),
                    row.getInt(3),
                    row.getInt(4),
                    row.getLong(5),
                    row.getLong(6)))
        .list();
  }

  /**
   * Runs an {@code UPDATE settlement_items i ... FROM run} (with the {@link TermsInForce} CTEs in
   * scope; {@code more}: the update's own parameters) and answers the rows it changed per merchant:
   * items, amount, merchant_id.
   */
  private List<Map<String, Object>> perMerchant(long runId, String update, Object... more) {
    return jdbc.sql(
            "WITH "
                + TermsInForce.CTES
                + ", changed AS ("
                + update
                + """
                RETURNING i.merchant_id, i.amount)
                SELECT merchant_id, count(*) AS items, sum(amount) AS amount
                FROM changed GROUP BY merchant_id ORDER BY merchant_id
                """)
        .params(Stream.concat(Stream.of(runId, null, null), Stream.of(more)).toList())
        .query()
        .listOfRows();
  }

  /** Logs one {@code settlement.alert} line per merchant row (items, amount, merchant_id). */
  private static void alert(List<Map<String, Object>> merchants, String message, long runId) {
    for (Map<String, Object> merchant : merchants) {
      log.error(
          message,
          runId,
          merchant.get("items"),
          merchant.get("amount"),
          merchant.get("merchant_id"));
    }
  }

  @Override
  public List<MerchantRange> plan(long runId, int batchSize, int maxBatches) {
    String merchants =
        "WITH "
            + TermsInForce.CTES
            + """
            , numbered AS (
                SELECT merchant_id, row_number() OVER (ORDER BY merchant_id) - 1 AS n FROM terms)
            """;
    long total =
        jdbc.sql(merchants + "SELECT count(*) FROM numbered")
            .params(runId, null, null)
            .query(Long.class)
            .single();
    long size = Math.max(batchSize, (total + maxBatches - 1) / maxBatches);
    return jdbc.sql(
            merchants
                + """
                SELECT min(merchant_id), max(merchant_id), n / ? AS batch FROM numbered
                GROUP BY batch ORDER BY batch
                """)
        .params(runId, null, null, size)
        .query((row, n) -> new MerchantRange(row.getString(1), row.getString(2)))
        .list();
  }

  @Override
  public void setStatus(long runId, String status) {
    jdbc.sql(
            """
            UPDATE settlement_runs
            SET status = ?,
                completed_at = CASE WHEN ? = 'posted' THEN now() ELSE completed_at END
            WHERE id = ? AND status <> 'posted' AND status <> ?
            """)
        .params(status, status, runId, status)
        .update();
  }

  @Override
  public List<String> railsWithPayouts(long runId) {
    return jdbc.sql(
            "SELECT DISTINCT rail FROM payouts WHERE run_id = ? AND status = 'pending' ORDER BY rail")
        .param(runId)
        .query(String.class)
        .list();
  }
}
