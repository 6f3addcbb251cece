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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The run-level steps of a day's settlement, each one statement or a few, set-based: a day of a
 * million items is claimed by one {@code UPDATE}, never row by row.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
public class SettlementActivitiesImpl implements SettlementActivities {

  /** The failure type of a run number this workflow does not open (reruns open their own). */
  public static final String NOT_A_SCHEDULED_RUN = "NotAScheduledRun";

  private static final Logger log = LoggerFactory.getLogger(SettlementActivitiesImpl.class);

  private final JdbcClient jdbc;

  public SettlementActivitiesImpl(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
            VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (currency, business_date, run_number) DO NOTHING
            """)
        .params(
            calendar.currency(),
            date,
            DailySettlementWorkflow.workflowId(calendar.currency(), request.businessDate(), 1),
            OffsetDateTime.ofInstant(calendar.windowStartOf(date), ZoneOffset.UTC),
            OffsetDateTime.ofInstant(calendar.cutOffOf(date), ZoneOffset.UTC),
            RunStatus.COMPUTING,
            request.requestedBy(),
            request.reason())
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
    int claimed =
        jdbc.sql(
                "WITH "
                    + TermsInForce.CTES
                    + """
                    UPDATE settlement_items i SET settled_run_id = run.id
                    FROM run
                    WHERE i.settled_run_id IS NULL
                      AND run.status = 'computing'
                      AND i.currency = run.currency
                      AND i.occurred_at >= run.window_start AND i.occurred_at < run.window_end
                      AND i.merchant_id IN (SELECT merchant_id FROM terms)
                    """)
            .params(runId, null, null)
            .update();
    alertUnclaimed(runId);
    long held =
        jdbc.sql("SELECT count(*) FROM settlement_items WHERE settled_run_id = ?")
            .param(runId)
            .query(Long.class)
            .single();
    log.info("settlement run {} claimed {} items now, holds {}", runId, claimed, held);
    return held;
  }

  /**
   * Items of the run's window left unsettled: their merchant has no terms in force in the run's
   * currency. They wait for terms and a rerun of the day; operators are told which merchants.
   */
  private void alertUnclaimed(long runId) {
    List<Map<String, Object>> unclaimed =
        jdbc.sql(
                """
                SELECT i.merchant_id, count(*) AS items, sum(i.amount) AS amount
                FROM settlement_items i JOIN settlement_runs r ON r.id = ?
                WHERE i.settled_run_id IS NULL AND i.currency = r.currency
                  AND i.occurred_at >= r.window_start AND i.occurred_at < r.window_end
                GROUP BY i.merchant_id ORDER BY i.merchant_id LIMIT 100
                """)
            .param(runId)
            .query()
            .listOfRows();
    for (Map<String, Object> merchant : unclaimed) {
      log.error(
          "settlement.alert: run {} left {} items ({} minor units) of {} unsettled: no settlement"
              + " terms in force in the run's currency",
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
