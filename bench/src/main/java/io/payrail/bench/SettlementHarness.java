package io.payrail.bench;

import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settlement benchmark's harness, shared by {@code ./payrail bench-settlement} and its CI-size
 * test: generates a business day with set-based SQL as the schema owner, settles it with the real
 * {@code DailySettlementWorkflow} (one run per settlement currency, started together) on the
 * workers the stack runs, then computes the same aggregation with one plain {@code INSERT ...
 * SELECT ... GROUP BY} into a scratch table, and compares the two, merchant by merchant and with
 * the ledger's movement.
 *
 * <p>Each harness run uses merchants of its own (a random tag in their ids) and the first business
 * date no USD or EUR run has settled yet, so it can run on a stack that already holds data.
 */
final class SettlementHarness {

  private static final Logger log = LoggerFactory.getLogger(SettlementHarness.class);
  static final SettlementCalendar USD = new SettlementCalendar("USD", "22:00", "America/New_York");
  static final SettlementCalendar EUR = new SettlementCalendar("EUR", "22:00", "Europe/Berlin");
  private static final LocalDate FIRST_DATE = LocalDate.of(2025, 1, 6);
  private static final long RUN_TIMEOUT_MINUTES = 60;

  private final DataSource database;
  private final WorkflowClient temporal;
  private final String tag;

  SettlementHarness(DataSource database, WorkflowClient temporal) {
    this.database = database;
    this.temporal = temporal;
    // six characters: the generated ids below are the tag and digits, at their exact lengths
    this.tag =
        "%6s"
            .formatted(Long.toString(System.nanoTime() % 2_176_782_336L, 36))
            .replace(' ', '0')
            .toUpperCase();
  }

  /** What one harness run measured and compared. */
  record Measurement(
      String businessDate,
      long items,
      long captures,
      long refunds,
      int merchants,
      long generateMillis,
      long settleMillis,
      long floorMillis,
      Map<String, Long> activityMillis,
      Totals settled,
      Totals floor,
      Totals ledger,
      long mismatchedMerchants,
      long payouts) {

    double ratio() {
      return (double) settleMillis / Math.max(1, floorMillis);
    }

    /** Every merchant's figures equal the floor's, and the ledger moved by the same sums. */
    boolean totalsMatch() {
      return mismatchedMerchants == 0
          && settled.equals(floor)
          && ledger.equals(floor.withoutCounts());
    }
  }

  /**
   * Sums over merchants. The ledger's have no counts: it records money, so its counts are -1.
   *
   * @param payable gross - refunds, what leaves {@code merchant_payable}
   */
  record Totals(
      long merchants,
      long captureCount,
      long refundCount,
      long gross,
      long refunds,
      long fees,
      long reserveHeld,
      long net,
      long payable) {

    Totals withoutCounts() {
      return new Totals(-1, -1, -1, -1, -1, fees, reserveHeld, net, payable);
    }
  }

  /** Generates, settles, measures the floor and compares; the scratch table is dropped. */
  Measurement run(long items, int merchants) throws Exception {
    if (merchants < 1 || items < merchants) {
      throw new IllegalArgumentException(
          "need at least one merchant and one item per merchant: " + items + ", " + merchants);
    }
    LocalDate date = freeBusinessDate();
    long start = System.nanoTime();
    long captures = generate(date, items, merchants);
    long generateMillis = millisSince(start);
    log.info(
        "Generated {} items ({} captures) for {} merchants on {} in {} ms",
        items,
        captures,
        merchants,
        date,
        generateMillis);
    analyze();

    start = System.nanoTime();
    List<String> runs = settle(date);
    long settleMillis = millisSince(start);
    stopPayoutFiles(date);
    List<Long> runIds = runIds(date);
    log.info("Settled {} in {} ms ({})", date, settleMillis, runs);

    start = System.nanoTime();
    floor(date, runIds);
    long floorMillis = millisSince(start);
    log.info("Floor in {} ms", floorMillis);

    try {
      Map<String, Long> activities = activityMillis(date);
      return new Measurement(
          date.toString(),
          items,
          captures,
          items - captures,
          merchants,
          generateMillis,
          settleMillis,
          floorMillis,
          activities,
          settledTotals(runIds),
          floorTotals(),
          ledgerTotals(runIds),
          mismatched(runIds),
          payouts(runIds));
    } finally {
      update("DROP TABLE settlement_floor");
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private LocalDate freeBusinessDate() throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT max(business_date) FROM settlement_runs"
                    + " WHERE currency IN ('USD', 'EUR') AND business_date >= ?")) {
      statement.setObject(1, FIRST_DATE);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        LocalDate last = row.getObject(1, LocalDate.class);
        return last == null ? FIRST_DATE : last.plusDays(1);
      }
    }
  }

  /**
   * Merchants {@code 1..m} (every fifth one settles in EUR over SEPA, the others in USD over ACH;
   * every fourth holds a 5% reserve for 90 days; odd ones give the percentage fee back on refunds),
   * one card each, 90% of the items captures spread round-robin over the merchants, the rest
   * refunds of a third of evenly spaced captures. Every item occurs between 12:00 and 13:00 UTC of
   * the business date, inside both currencies' windows, in the order it is inserted (as in
   * production, where an item is written when its capture or refund happens: the table's pages
   * follow time). Returns the number of captures.
   */
  private long generate(LocalDate date, long items, int merchants) throws SQLException {
    long captures = Math.max(merchants, items * 9 / 10);
    long refunds = items - captures;
    OffsetDateTime at = date.atTime(12, 0).atOffset(ZoneOffset.UTC);
    String merchant = "'mer_' || '" + tag + "' || lpad(%s::text, 10, '0')";
    String currency = "CASE WHEN %1$s %% 5 = 0 THEN 'EUR' ELSE 'USD' END";
    update(
        "INSERT INTO merchants (id, name) SELECT "
            + merchant.formatted("g")
            + ", 'Bench ' || g FROM generate_series(1, ?) g",
        merchants);
    update(
        """
        INSERT INTO settlement_terms
            (merchant_id, effective_from, settlement_currency, fee_basis_points, fee_fixed,
             refund_fee_policy, payout_delay_days, minimum_payout, reserve_basis_points,
             reserve_hold_days, payout_rail, account_holder, routing_number, bic,
             account_ciphertext, account_last4, created_by)
        SELECT %s, ?, %s, 100 + g %% 300, g %% 40,
               CASE WHEN g %% 2 = 1 THEN 'percentage' ELSE 'none' END, g %% 3, g %% 5000,
               CASE WHEN g %% 4 = 0 THEN 500 ELSE 0 END, CASE WHEN g %% 4 = 0 THEN 90 ELSE 0 END,
               CASE WHEN g %% 5 = 0 THEN 'sepa' ELSE 'ach' END, 'Bench ' || g,
               CASE WHEN g %% 5 = 0 THEN NULL ELSE '011000015' END,
               CASE WHEN g %% 5 = 0 THEN 'DEUTDEFF' ELSE NULL END,
               'vault:v1:bench-never-unsealed', '6789', 'bench'
        FROM generate_series(1, ?) g
        """
            .formatted(merchant.formatted("g"), currency.formatted("g")),
        date,
        merchants);
    update(
        """
        INSERT INTO cards (token, merchant_id, brand, bin, last4, exp_month, exp_year,
                           fingerprint, pan_ciphertext)
        SELECT 'card_' || ? || lpad(g::text, 18, '0'), %s, 'VISA', '424242', '4242', 12, 2030,
               'fp', 'vault:v1:never-revealed'
        FROM generate_series(1, ?) g
        """
            .formatted(merchant.formatted("g")),
        tag,
        merchants);
    String owner = "(1 + (p - 1) % " + merchants + ")";
    update(
        """
        INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method,
                              card_token, amount_captured)
        SELECT 'pay_' || ? || lpad(p::text, 18, '0'), %s, 1000 + (p * 7919) %% 90000, %s,
               'succeeded', 'manual', 'card_' || ? || lpad(%s::text, 18, '0'),
               1000 + (p * 7919) %% 90000
        FROM generate_series(1, ?) p
        """
            .formatted(merchant.formatted(owner), currency.formatted(owner), owner),
        tag,
        tag,
        captures);
    update(
        """
        INSERT INTO settlement_items
            (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
        SELECT id, 'capture', merchant_id, id, currency, amount_captured, id || ':capture',
               ? + make_interval(secs => (substr(id, 11)::bigint - 1) * 3600.0 / ?)
        FROM payments WHERE id LIKE 'pay\\_' || ? || '%'
        ORDER BY id
        """,
        at, captures, tag);
    if (refunds > 0) {
      update(
          """
          INSERT INTO refunds (id, merchant_id, payment_id, amount, currency, status,
                               last_sequence)
          SELECT 're_' || ? || lpad(r::text, 18, '0'), p.merchant_id, p.id,
                 p.amount_captured / 3, p.currency, 'succeeded', 2
          FROM generate_series(1, ?) r
          JOIN payments p ON p.id = 'pay_' || ? || lpad((1 + (r - 1) * ? / ?)::text, 18, '0')
          """,
          tag,
          refunds,
          tag,
          captures,
          refunds);
      update(
          """
          INSERT INTO settlement_items
              (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
          SELECT id, 'refund', merchant_id, payment_id, currency, amount, id || ':refund',
                 ? + make_interval(secs => (substr(id, 10)::bigint - 1) * 3600.0 / ?)
          FROM refunds WHERE id LIKE 're\\_' || ? || '%'
          ORDER BY id
          """,
          at, refunds, tag);
    }
    return captures;
  }

  /** Fresh statistics, as autovacuum would give a day's items long before its cut-off. */
  private void analyze() throws SQLException {
    for (String table :
        List.of("merchants", "settlement_terms", "payments", "refunds", "settlement_items")) {
      update("ANALYZE " + table);
    }
  }

  /** Starts the day's run of each currency together and waits until both are posted. */
  private List<String> settle(LocalDate date) throws Exception {
    List<CompletableFuture<String>> runs = new ArrayList<>();
    for (SettlementCalendar calendar : List.of(USD, EUR)) {
      String id = DailySettlementWorkflow.workflowId(calendar.currency(), date.toString(), 1);
      DailySettlementWorkflow workflow =
          temporal.newWorkflowStub(
              DailySettlementWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setTaskQueue(TaskQueues.SETTLEMENT)
                  .build());
      WorkflowClient.start(
          workflow::settle,
          new SettlementRequest(calendar, date.toString(), 1, SettlementRequest.SCHEDULE, null));
      runs.add(WorkflowStub.fromTyped(workflow).getResultAsync(String.class));
    }
    List<String> statuses = new ArrayList<>();
    for (CompletableFuture<String> run : runs) {
      statuses.add(run.get(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES));
    }
    return statuses;
  }

  /**
   * The payout files of the day wait for a finance user's approval, which is not part of the
   * measured time; their accounts are sealed with a ciphertext no Vault can open, so they are
   * terminated rather than left retrying beside the floor.
   */
  private void stopPayoutFiles(LocalDate date) {
    for (SettlementCalendar calendar : List.of(USD, EUR)) {
      String rail = calendar == USD ? "ach" : "sepa";
      String id = PayoutFileWorkflow.workflowId(calendar.currency(), date.toString(), 1, rail);
      try {
        temporal.newUntypedWorkflowStub(id).terminate("benchmark: payout files are not measured");
      } catch (RuntimeException e) {
        log.info("No payout file workflow {} to stop: {}", id, e.getMessage());
      }
    }
  }

  private List<Long> runIds(LocalDate date) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection connection = database.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT id FROM settlement_runs WHERE business_date = ? AND run_number = 1"
                    + " AND currency IN ('USD', 'EUR') ORDER BY id")) {
      statement.setObject(1, date);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
    }
    return ids;
  }

  /**
   * The floor: the day's items aggregated per merchant with the terms in force and the rounding
   * rule of docs/settlement.md, in one plain statement into a scratch table.
   */
  private void floor(LocalDate date, List<Long> runIds) throws SQLException {
    update(
        """
        CREATE UNLOGGED TABLE settlement_floor (
            merchant_id text PRIMARY KEY, capture_count bigint, refund_count bigint, gross bigint,
            refunds bigint, fees bigint, reserve_held bigint, net bigint)
        """);
    update(
        """
        INSERT INTO settlement_floor
        SELECT merchant_id, captures, refund_count, gross, refunds, fees, held,
               gross - refunds - fees - held
        FROM (
            SELECT a.*,
                   (gross * bps + 5000) / 10000 + fixed * captures
                   - CASE WHEN policy = 'percentage' THEN (refunds * bps + 5000) / 10000 ELSE 0 END
                       AS fees,
                   CASE WHEN hold_days > 0 AND gross > refunds
                        THEN ((gross - refunds) * reserve_bps + 5000) / 10000 ELSE 0 END AS held
            FROM (
                SELECT i.merchant_id,
                       count(*) FILTER (WHERE i.kind = 'capture') AS captures,
                       count(*) FILTER (WHERE i.kind = 'refund') AS refund_count,
                       coalesce(sum(i.amount) FILTER (WHERE i.kind = 'capture'), 0)::bigint
                           AS gross,
                       coalesce(sum(i.amount) FILTER (WHERE i.kind = 'refund'), 0)::bigint
                           AS refunds,
                       t.fee_basis_points AS bps, t.fee_fixed AS fixed,
                       t.refund_fee_policy AS policy, t.reserve_basis_points AS reserve_bps,
                       t.reserve_hold_days AS hold_days
                FROM settlement_runs r
                JOIN settlement_items i ON i.currency = r.currency
                     AND i.occurred_at >= r.window_start AND i.occurred_at < r.window_end
                JOIN (SELECT DISTINCT ON (merchant_id) * FROM settlement_terms
                      WHERE effective_from <= ?
                      ORDER BY merchant_id, effective_from DESC, id DESC) t
                  ON t.merchant_id = i.merchant_id
                WHERE r.id = ANY (?)
                GROUP BY i.merchant_id, t.fee_basis_points, t.fee_fixed, t.refund_fee_policy,
                         t.reserve_basis_points, t.reserve_hold_days) a) b
        """,
        date,
        (Object) runIds.toArray(Long[]::new));
  }

  private static final String SUMS =
      "count(*), sum(capture_count), sum(refund_count), sum(gross), sum(refunds), sum(fees),"
          + " sum(reserve_held), sum(net), sum(gross - refunds)";

  private Totals settledTotals(List<Long> runIds) throws SQLException {
    return totals(
        "SELECT " + SUMS + " FROM merchant_settlements WHERE run_id = ANY (?)",
        (Object) runIds.toArray(Long[]::new));
  }

  private Totals floorTotals() throws SQLException {
    return totals("SELECT " + SUMS + " FROM settlement_floor");
  }

  /**
   * What the runs' {@code settlement} entries moved, per account: fee revenue and the reserve and
   * pending accounts are credited (negative lines), merchant payable debited.
   */
  private Totals ledgerTotals(List<Long> runIds) throws SQLException {
    return totals(
        """
        SELECT -1, -1, -1, -1, -1,
               -coalesce(sum(l.amount) FILTER (WHERE a.code = 'fee_revenue'), 0),
               -coalesce(sum(l.amount) FILTER (WHERE a.code = 'merchant_reserve'), 0),
               -coalesce(sum(l.amount) FILTER (WHERE a.code = 'merchant_pending'), 0),
               coalesce(sum(l.amount) FILTER (WHERE a.code = 'merchant_payable'), 0)
        FROM journal_entries e
        JOIN journal_lines l ON l.entry_id = e.id
        JOIN ledger_accounts a ON a.id = l.account_id
        WHERE e.kind = 'settlement'
          AND split_part(e.idempotency_key, ':', 2)::bigint = ANY (?)
        """,
        (Object) runIds.toArray(Long[]::new));
  }

  /** Merchants whose figures differ from the floor's, or that only one side has. */
  private long mismatched(List<Long> runIds) throws SQLException {
    return single(
        """
        SELECT count(*)
        FROM (SELECT * FROM merchant_settlements WHERE run_id = ANY (?)) s
        FULL JOIN settlement_floor f ON f.merchant_id = s.merchant_id
        WHERE (s.capture_count, s.refund_count, s.gross, s.refunds, s.fees, s.reserve_held,
               s.reserve_released, s.net)
              IS DISTINCT FROM
              (f.capture_count, f.refund_count, f.gross, f.refunds, f.fees, f.reserve_held, 0,
               f.net)
        """,
        (Object) runIds.toArray(Long[]::new));
  }

  private long payouts(List<Long> runIds) throws SQLException {
    return single(
        "SELECT count(*) FROM payouts WHERE run_id = ANY (?)",
        (Object) runIds.toArray(Long[]::new));
  }

  /**
   * Where the runs' time went: per activity type, the sum of scheduled-to-completed times over the
   * runs' histories and their batches' (the batches run four at once, so the sums exceed the wall
   * time).
   */
  private Map<String, Long> activityMillis(LocalDate date) {
    Map<String, Long> millis = new LinkedHashMap<>();
    long origin = Long.MAX_VALUE;
    for (SettlementCalendar calendar : List.of(USD, EUR)) {
      String runId = DailySettlementWorkflow.workflowId(calendar.currency(), date.toString(), 1);
      origin =
          Math.min(
              origin,
              toMillis(temporal.fetchHistory(runId).getHistory().getEvents(0).getEventTime()));
    }
    for (SettlementCalendar calendar : List.of(USD, EUR)) {
      String runId = DailySettlementWorkflow.workflowId(calendar.currency(), date.toString(), 1);
      List<HistoryEvent> events = temporal.fetchHistory(runId).getHistory().getEventsList();
      addActivities(runId, events, millis, origin);
      for (HistoryEvent event : events) {
        if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
          String child =
              event
                  .getChildWorkflowExecutionStartedEventAttributes()
                  .getWorkflowExecution()
                  .getWorkflowId();
          if (child.startsWith(runId + "-batch-")) {
            addActivities(
                child, temporal.fetchHistory(child).getHistory().getEventsList(), millis, origin);
          }
        }
      }
    }
    return millis;
  }

  /**
   * Adds the workflow's activity times to {@code millis} and logs its timeline (milliseconds from
   * {@code origin}, the first run's start): which step holds the wall time, which sums hide.
   */
  private static void addActivities(
      String workflowId, List<HistoryEvent> events, Map<String, Long> millis, long origin) {
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<Long, HistoryEvent> started = new HashMap<>();
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(event.getEventId(), event);
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        started.put(event.getActivityTaskStartedEventAttributes().getScheduledEventId(), event);
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        long scheduledId = event.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        HistoryEvent start = scheduled.get(scheduledId);
        String type = start.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        long elapsed = toMillis(event.getEventTime()) - toMillis(start.getEventTime());
        millis.merge(type, elapsed, Long::sum);
        log.info(
            "timeline {} {}: scheduled +{} ms, started +{} ms, completed +{} ms",
            workflowId,
            type,
            toMillis(start.getEventTime()) - origin,
            started.containsKey(scheduledId)
                ? toMillis(started.get(scheduledId).getEventTime()) - origin
                : -1,
            toMillis(event.getEventTime()) - origin);
      }
    }
  }

  private static long toMillis(com.google.protobuf.Timestamp time) {
    return time.getSeconds() * 1000 + time.getNanos() / 1_000_000;
  }

  private Totals totals(String sql, Object... params) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement statement = prepare(connection, sql, params);
        ResultSet row = statement.executeQuery()) {
      row.next();
      long[] values = new long[9];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.getLong(i + 1);
      }
      return new Totals(
          values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7],
          values[8]);
    }
  }

  private long single(String sql, Object... params) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement statement = prepare(connection, sql, params);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private void update(String sql, Object... params) throws SQLException {
    try (Connection connection = database.getConnection()) {
      if (params.length == 0) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
        }
        return;
      }
      try (PreparedStatement statement = prepare(connection, sql, params)) {
        statement.executeUpdate();
      }
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... params)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof Long[] array) {
        statement.setArray(i + 1, connection.createArrayOf("bigint", array));
      } else {
        statement.setObject(i + 1, params[i]);
      }
    }
    return statement;
  }
}
