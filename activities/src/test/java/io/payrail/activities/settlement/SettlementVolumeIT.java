package io.payrail.activities.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.workflows.settlement.MerchantRange;
import io.payrail.workflows.settlement.SettlementBatch;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * What the set-based steps cost on a day of 2,000 merchants and 20,000 items, beside the floor of
 * one plain {@code INSERT ... SELECT ... GROUP BY} doing the same aggregation: both times and their
 * ratio are logged (a measurement, not an assertion: speed is measured, never asserted); the totals
 * must match. The activities run directly, without Temporal.
 */
class SettlementVolumeIT {

  private static final Logger log = LoggerFactory.getLogger(SettlementVolumeIT.class);
  private static final int MERCHANTS = 2_000;
  private static final SettlementCalendar USD = new SettlementCalendar("USD", "12:00", "UTC");

  @Test
  void aDayOf20000Items_settlesWithTheFloorsTotals_andLogsTheCostBesideTheFloor() {
    DataSource database = TestServers.database();
    JdbcClient jdbc = JdbcClient.create(database);
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    SettlementActivitiesImpl run = new SettlementActivitiesImpl(jdbc, transactions);
    SettlementBatchActivitiesImpl batches =
        new SettlementBatchActivitiesImpl(jdbc, transactions, new Ledger(jdbc, transactions));
    LocalDate date = LocalDate.of(2025, 1, 15);
    generate(jdbc, date);

    long start = System.nanoTime();
    long runId =
        run.openRun(
                new SettlementRequest(USD, date.toString(), 1, SettlementRequest.SCHEDULE, null))
            .runId();
    long items = run.claim(runId);
    long claimed = System.nanoTime();
    List<MerchantRange> ranges = run.plan(runId, 500, 1000);
    long[] steps = new long[3];
    for (MerchantRange range : ranges) {
      SettlementBatch batch = new SettlementBatch(runId, "USD", date.toString(), range);
      long t0 = System.nanoTime();
      batches.compute(batch);
      long t1 = System.nanoTime();
      batches.post(batch);
      long t2 = System.nanoTime();
      batches.createPayouts(batch);
      steps[0] += t1 - t0;
      steps[1] += t2 - t1;
      steps[2] += System.nanoTime() - t2;
    }
    long payrailNanos = System.nanoTime() - start;
    log.info(
        "settlement volume steps: open and claim {} ms, compute {} ms, post {} ms, payouts {} ms",
        (claimed - start) / 1_000_000,
        steps[0] / 1_000_000,
        steps[1] / 1_000_000,
        steps[2] / 1_000_000);

    start = System.nanoTime();
    jdbc.sql(
            """
            CREATE TEMP TABLE floor_totals (merchant_id text, captures bigint, refund_count bigint,
                                            gross bigint, refunds bigint)
            """)
        .update();
    jdbc.sql(
            """
            INSERT INTO floor_totals
            SELECT merchant_id, count(*) FILTER (WHERE kind = 'capture'),
                   count(*) FILTER (WHERE kind = 'refund'),
                   coalesce(sum(amount) FILTER (WHERE kind = 'capture'), 0),
                   coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0)
            FROM settlement_run_items WHERE run_id = ? GROUP BY merchant_id
            """)
        .param(runId)
        .update();
    long floorNanos = System.nanoTime() - start;

    Map<String, Object> floor =
        jdbc.sql(
                "SELECT count(*) AS merchants, sum(captures) AS captures, sum(refund_count) AS"
                    + " refund_count, sum(gross) AS gross, sum(refunds) AS refunds FROM"
                    + " floor_totals")
            .query()
            .singleRow();
    Map<String, Object> settled =
        jdbc.sql(
                "SELECT count(*) AS merchants, sum(capture_count) AS captures, sum(refund_count)"
                    + " AS refund_count, sum(gross) AS gross, sum(refunds) AS refunds FROM"
                    + " merchant_settlements WHERE run_id = ?")
            .param(runId)
            .query()
            .singleRow();
    jdbc.sql("DROP TABLE floor_totals").update();
    log.info(
        "settlement volume: {} items, {} merchants, {} batches: Payrail {} ms, floor {} ms,"
            + " ratio {}",
        items,
        settled.get("merchants"),
        ranges.size(),
        payrailNanos / 1_000_000,
        floorNanos / 1_000_000,
        String.format("%.1f", (double) payrailNanos / floorNanos));

    assertThat(items).isEqualTo(MERCHANTS * 10L);
    assertThat(settled.toString()).isEqualTo(floor.toString());
    assertThat(settled.get("merchants")).isEqualTo((long) MERCHANTS);
  }

  /** 2,000 merchants with terms, each with 8 captures and 2 refunds in the day's window. */
  private static void generate(JdbcClient jdbc, LocalDate date) {
    // six characters: the ids below are the tag and digits, at their exact lengths
    String tag =
        "V" + "%5s".formatted(Long.toString(System.nanoTime() % 60_466_176L, 36)).replace(' ', '0');
    OffsetDateTime at =
        OffsetDateTime.ofInstant(USD.windowStartOf(date), ZoneOffset.UTC).plusHours(2);
    jdbc.sql(
            """
            INSERT INTO merchants (id, name)
            SELECT 'mer_' || ? || lpad(g::text, 10, '0'), 'Volume ' || g
            FROM generate_series(1, ?) g
            """)
        .params(tag, MERCHANTS)
        .update();
    jdbc.sql(
            """
            INSERT INTO settlement_terms
                (merchant_id, effective_from, settlement_currency, fee_basis_points, fee_fixed,
                 refund_fee_policy, payout_delay_days, minimum_payout, reserve_basis_points,
                 reserve_hold_days, payout_rail, account_holder, routing_number,
                 account_ciphertext, account_last4, created_by)
            SELECT 'mer_' || ? || lpad(g::text, 10, '0'), ?, 'USD', 100 + g % 300, g % 40,
                   CASE WHEN g % 2 = 0 THEN 'none' ELSE 'percentage' END, g % 3, g % 5000,
                   g % 1000, 1 + g % 30, 'ach', 'Volume', '011000015', 'vault:v1:x', '6789',
                   'test'
            FROM generate_series(1, ?) g
            """)
        .params(tag, date, MERCHANTS)
        .update();
    jdbc.sql(
            """
            INSERT INTO cards (token, merchant_id, brand, bin, last4, exp_month, exp_year,
                               fingerprint, pan_ciphertext)
            SELECT 'card_' || ? || lpad(g::text, 18, '0'), 'mer_' || ? || lpad(g::text, 10, '0'),
                   'VISA', '424242', '4242', 12, 2030, 'fp', 'vault:v1:never-revealed'
            FROM generate_series(1, ?) g
            """)
        .params(tag, tag, MERCHANTS)
        .update();
    jdbc.sql(
            """
            INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method,
                                  card_token, amount_captured)
            SELECT 'pay_' || ? || lpad((g * 10 + k)::text, 18, '0'),
                   'mer_' || ? || lpad(g::text, 10, '0'), 1000 + (g * 7 + k * 13) % 90000, 'USD',
                   'succeeded', 'manual', 'card_' || ? || lpad(g::text, 18, '0'),
                   1000 + (g * 7 + k * 13) % 90000
            FROM generate_series(1, ?) g, generate_series(1, 8) k
            """)
        .params(tag, tag, tag, MERCHANTS)
        .update();
    jdbc.sql(
            """
            INSERT INTO settlement_items
                (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
            SELECT p.id, 'capture', p.merchant_id, p.id, 'USD', p.amount, p.id || ':capture', ?
            FROM payments p WHERE p.id LIKE 'pay_' || ? || '%'
            """)
        .params(at, tag)
        .update();
    jdbc.sql(
            """
            INSERT INTO settlement_items
                (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
            SELECT 're_' || substr(p.id, 5), 'refund', p.merchant_id, p.id, 'USD', p.amount / 3,
                   're_' || substr(p.id, 5) || ':refund', ?
            FROM payments p
            WHERE p.id LIKE 'pay_' || ? || '%' AND right(p.id, 1) IN ('1', '2')
            """)
        .params(at, tag)
        .update();
  }
}
