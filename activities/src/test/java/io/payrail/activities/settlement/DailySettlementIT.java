package io.payrail.activities.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.devservers.Ports;
import io.payrail.devservers.SharedDevServers;
import io.payrail.devservers.TemporalDevServer;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.DailySettlementWorkflowImpl;
import io.payrail.workflows.settlement.FeePlan;
import io.payrail.workflows.settlement.MerchantDay;
import io.payrail.workflows.settlement.MerchantFigures;
import io.payrail.workflows.settlement.PayoutFileInput;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.payrail.workflows.settlement.RunStatus;
import io.payrail.workflows.settlement.SettlementBatch;
import io.payrail.workflows.settlement.SettlementBatchWorkflowImpl;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.payrail.workflows.settlement.SettlementTriggerWorkflow;
import io.payrail.workflows.settlement.SettlementTriggerWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A day settled by the real workflows and activities on PostgreSQL with the schema, in the
 * in-process Temporal test server; the payout file workflow (another part) is a fake that records
 * its start. Each test settles its own business dates with its own merchants (terms effective from
 * the test's first date), so runs of other tests touch none of them.
 */
@Timeout(300)
class DailySettlementIT {

  private static final Logger log = LoggerFactory.getLogger(DailySettlementIT.class);
  private static final String QUEUE = "settlement-it";
  private static final SettlementCalendar USD = new SettlementCalendar("USD", "12:00", "UTC");

  private static JdbcClient jdbc;
  private static JdbcTransactionManager transactions;
  private static Ledger ledger;
  private static TestPayments payments;

  /**
   * An activity lost with a stopped worker is retried once its start-to-close timeout passes: 10 s
   * here (in real time: the test server does not skip time while an activity is running), not the
   * minutes production allows a big batch.
   */
  private static final WorkflowImplementationOptions SHORT_ACTIVITY_TIMEOUTS =
      WorkflowImplementationOptions.newBuilder()
          .setActivityOptions(
              Stream.of(
                      "OpenRun",
                      "Claim",
                      "Plan",
                      "SetStatus",
                      "RailsWithPayouts",
                      "Compute",
                      "Post",
                      "CreatePayouts")
                  .collect(
                      Collectors.toMap(
                          type -> type,
                          type ->
                              ActivityOptions.newBuilder()
                                  .setStartToCloseTimeout(Duration.ofSeconds(10))
                                  .build())))
          .build();

  /**
   * No workflow cache: every workflow task replays the whole history, as a new worker resuming a
   * run after the old one died would.
   */
  private static final WorkerFactoryOptions NO_STICKY =
      WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build();

  private TestWorkflowEnvironment env;

  /**
   * Records the files the runs start, and ends: PayoutFilesIT and PayoutFileWorkflowTest test the
   * real one.
   */
  public static class RecordedFile implements PayoutFileWorkflow {
    static final List<PayoutFileInput> started = new CopyOnWriteArrayList<>();

    @Override
    public String run(PayoutFileInput input) {
      started.add(input);
      return "acknowledged";
    }

    @Override
    public void validateApprove(Approval approval) {}

    @Override
    public String approve(Approval approval) {
      return "approved";
    }

    @Override
    public void voidFile(String reason) {}
  }

  @BeforeAll
  static void wire() {
    DataSource database = TestServers.database();
    jdbc = JdbcClient.create(database);
    transactions = new JdbcTransactionManager(database);
    ledger = new Ledger(jdbc, transactions);
    payments = new TestPayments(database);
  }

  @BeforeEach
  void startServer() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setWorkerFactoryOptions(NO_STICKY).build());
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    env.registerSearchAttribute(
        "TemporalScheduledStartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    RecordedFile.started.clear();
  }

  @AfterEach
  void stopServer() {
    env.close();
  }

  /**
   * The real batch activities, each of whose first post of a batch commits and then fails, as a
   * worker lost between its commit and its report to Temporal.
   */
  static class LostAfterCommit extends SettlementBatchActivitiesImpl {
    final Set<String> failed = ConcurrentHashMap.newKeySet();
    volatile boolean losing;

    LostAfterCommit() {
      super(jdbc, transactions, ledger);
    }

    @Override
    public void post(SettlementBatch batch) {
      super.post(batch);
      if (losing && failed.add(batch.merchants().first())) {
        throw new IllegalStateException("lost after the commit of " + batch.merchants());
      }
    }

    @Override
    public int createPayouts(SettlementBatch batch) {
      int created = super.createPayouts(batch);
      if (losing && failed.add("payouts " + batch.merchants().first())) {
        throw new IllegalStateException("lost after the payouts of " + batch.merchants());
      }
      return created;
    }
  }

  private void startWorker(WorkerFactory factory) {
    startWorker(factory, new SettlementBatchActivitiesImpl(jdbc, transactions, ledger));
  }

  private void startWorker(WorkerFactory factory, SettlementBatchActivitiesImpl batches) {
    Worker worker = factory.newWorker(QUEUE);
    worker.registerWorkflowImplementationFactory(
        DailySettlementWorkflow.class, () -> new DailySettlementWorkflowImpl(2));
    worker.registerWorkflowImplementationTypes(
        SettlementBatchWorkflowImpl.class, SettlementTriggerWorkflowImpl.class, RecordedFile.class);
    worker.registerActivitiesImplementations(
        new SettlementActivitiesImpl(jdbc, transactions), batches);
    factory.start();
  }

  // ---- the generated day ----

  private record Terms(
      int feeBps, long feeFixed, boolean refundReturnsFees, long minimumPayout, int reserveBps) {}

  /** One merchant's generated day: its terms (null: none) and amounts. */
  private record MerchantPlan(Terms terms, List<Long> captures, List<Long> refunds) {}

  private static List<MerchantPlan> generate(long seed, int merchants) {
    Random random = new Random(seed);
    List<MerchantPlan> plans = new ArrayList<>();
    for (int m = 0; m < merchants; m++) {
      Terms terms =
          new Terms(
              random.nextInt(600),
              random.nextInt(4) == 0 ? 0 : random.nextInt(60),
              random.nextBoolean(),
              random.nextInt(3) == 0 ? 0 : random.nextInt(20_000),
              random.nextInt(3) == 0 ? 0 : random.nextInt(1500));
      List<Long> captures = new ArrayList<>();
      for (int c = random.nextInt(6); c > 0; c--) {
        captures.add(1 + (long) random.nextInt(200_000));
      }
      List<Long> refunds = new ArrayList<>();
      for (int r = random.nextInt(3); r > 0; r--) {
        refunds.add(1 + (long) random.nextInt(50_000));
      }
      plans.add(new MerchantPlan(terms, captures, refunds));
    }
    // a day of refunds only, under terms that give fees back: a negative net, carried forward
    plans.add(new MerchantPlan(new Terms(250, 30, true, 0, 500), List.of(), List.of(40_000L)));
    // no terms: its items stay unclaimed (and alerted)
    plans.add(new MerchantPlan(null, List.of(12_345L), List.of()));
    return plans;
  }

  /** Creates merchants, terms (reserve held one day, no payout delay) and the day's items. */
  private Map<String, MerchantPlan> create(List<MerchantPlan> plans, LocalDate date) {
    Map<String, MerchantPlan> merchants = new LinkedHashMap<>();
    OffsetDateTime inWindow =
        OffsetDateTime.ofInstant(USD.windowStartOf(date), ZoneOffset.UTC).plusHours(3);
    for (MerchantPlan plan : plans) {
      String merchant = payments.merchant();
      merchants.put(merchant, plan);
      if (plan.terms() != null) {
        insertTerms(merchant, date, plan.terms(), 1);
      }
      for (long amount : plan.captures()) {
        insertItem(merchant, "capture", amount, inWindow);
      }
      for (long amount : plan.refunds()) {
        insertItem(merchant, "refund", amount, inWindow);
      }
    }
    return merchants;
  }

  private static void insertTerms(String merchant, LocalDate from, Terms terms, int holdDays) {
    jdbc.sql(
            """
            INSERT INTO settlement_terms
                (merchant_id, effective_from, settlement_currency, fee_basis_points, fee_fixed,
                 refund_fee_policy, payout_delay_days, minimum_payout, reserve_basis_points,
                 reserve_hold_days, payout_rail, account_holder, routing_number,
                 account_ciphertext, account_last4, created_by)
            VALUES (?, ?, 'USD', ?, ?, ?, 0, ?, ?, ?, 'ach', 'Test merchant', '011000015',
                    'vault:v1:x', '6789', 'test')
            """)
        .params(
            merchant,
            from,
            terms.feeBps(),
            terms.feeFixed(),
            terms.refundReturnsFees() ? "percentage" : "none",
            terms.minimumPayout(),
            terms.reserveBps(),
            holdDays)
        .update();
  }

  private static final SecureRandom ids = new SecureRandom();

  private static void insertItem(String merchant, String kind, long amount, OffsetDateTime at) {
    String paymentId = payments.payment(merchant, Money.of(Math.max(amount, 1), "USD")).id();
    String id = kind.equals("capture") ? paymentId : "re_" + Long.toString(ids.nextLong(), 36);
    jdbc.sql(
            """
            INSERT INTO settlement_items
                (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
            VALUES (?, ?, ?, ?, 'USD', ?, ?, ?)
            """)
        .params(id, kind, merchant, paymentId, amount, id + ":" + kind, at)
        .update();
  }

  private static MerchantFigures expected(MerchantPlan plan, long released) {
    Terms t = plan.terms();
    return new FeePlan(t.feeBps(), t.feeFixed(), t.refundReturnsFees(), t.reserveBps(), 1)
        .settle(
            new MerchantDay(
                plan.captures().size(),
                plan.refunds().size(),
                plan.captures().stream().mapToLong(Long::longValue).sum(),
                plan.refunds().stream().mapToLong(Long::longValue).sum(),
                released));
  }

  // ---- running ----

  private String settle(LocalDate date) {
    return client()
        .newWorkflowStub(DailySettlementWorkflow.class, runOptions(date))
        .settle(new SettlementRequest(USD, date.toString(), 1, SettlementRequest.SCHEDULE, null));
  }

  private WorkflowOptions runOptions(LocalDate date) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE)
        .setWorkflowId(DailySettlementWorkflow.workflowId("USD", date.toString(), 1))
        .build();
  }

  private WorkflowClient client() {
    return env.getWorkflowClient();
  }

  private static long runId(LocalDate date) {
    return jdbc.sql(
            "SELECT id FROM settlement_runs WHERE currency = 'USD' AND business_date = ? AND"
                + " run_number = 1")
        .param(date)
        .query(Long.class)
        .single();
  }

  // ---- tests ----

  @Test
  void aDay_settlesEveryItemOnce_theLedgerMovesByTheSumOverMerchants_andPaysOut() {
    long seed = System.nanoTime();
    log.info("generated day, seed {}", seed);
    LocalDate date = LocalDate.of(2021, 3, 10);
    Map<String, MerchantPlan> merchants = create(generate(seed, 9), date);
    startWorker(env.getWorkerFactory());

    assertThat(settle(date)).as("seed %d", seed).isEqualTo(RunStatus.POSTED);

    long run = runId(date);
    long sumNet = 0;
    long sumFees = 0;
    for (var merchant : merchants.entrySet()) {
      String id = merchant.getKey();
      MerchantPlan plan = merchant.getValue();
      if (plan.terms() == null) {
        assertThat(unsettledItems(id)).as("items without terms stay unclaimed").isEqualTo(1);
        assertThat(settlement(run, id)).isNull();
        continue;
      }
      assertThat(unsettledItems(id)).isZero();
      MerchantFigures expected = expected(plan, 0);
      if (expected.captureCount() + expected.refundCount() == 0) {
        assertThat(settlement(run, id)).isNull();
        continue;
      }
      assertThat(settlement(run, id)).as("seed %d, %s", seed, id).isEqualTo(expected);
      sumNet += expected.net();
      sumFees += expected.fees();
      long available = -balance("merchant_available", id);
      List<Map<String, Object>> payouts = payouts(id);
      if (expected.net() > 0 && expected.net() >= plan.terms().minimumPayout()) {
        assertThat(payouts)
            .singleElement()
            .satisfies(
                p -> {
                  assertThat(p.get("amount")).isEqualTo(expected.net());
                  assertThat(p.get("status")).isEqualTo("pending");
                  assertThat(p.get("rail")).isEqualTo("ach");
                  assertThat((String) p.get("id")).matches("po_[A-Za-z0-9]{24}");
                });
        assertThat(available).isZero();
      } else {
        assertThat(payouts).as("seed %d: carried forward", seed).isEmpty();
        assertThat(available).isEqualTo(expected.net());
      }
      assertThat(-balance("merchant_reserve", id)).isEqualTo(expected.reserveHeld());
      assertThat(balance("merchant_pending", id)).isZero();
    }
    assertThat(sumOfSettlementLines(run, "merchant_pending")).isEqualTo(-sumNet);
    assertThat(sumOfSettlementLines(run, "fee_revenue")).isEqualTo(-sumFees);
    assertThat(
            jdbc.sql("SELECT sum(net) FROM merchant_settlements WHERE run_id = ?")
                .param(run)
                .query(Long.class)
                .single())
        .isEqualTo(sumNet);
    assertThat(status(run)).isEqualTo(RunStatus.POSTED);
    boolean anyPayout =
        jdbc.sql("SELECT count(*) FROM payouts WHERE run_id = ?")
                .param(run)
                .query(Long.class)
                .single()
            > 0;
    assertThat(RecordedFile.started)
        .extracting(PayoutFileInput::rail)
        .containsExactlyElementsOf(anyPayout ? List.of("ach") : List.of());
  }

  @Test
  void theSameDayTwice_settlesNothingTwice_andTheSchemaRefusesASecondClaim() {
    LocalDate date = LocalDate.of(2021, 5, 20);
    Map<String, MerchantPlan> merchants = create(generate(20210520L, 6), date);
    startWorker(env.getWorkerFactory());
    settle(date);
    long run = runId(date);
    Map<String, Long> before = footprint(merchants.keySet());

    // the same run 1 started again, then the schedule's trigger for that day
    assertThat(settle(date)).isEqualTo(RunStatus.POSTED);
    String triggered =
        client()
            .newWorkflowStub(
                SettlementTriggerWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("settlement-trigger-USD-" + date)
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(
                                SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime"),
                                OffsetDateTime.ofInstant(USD.cutOffOf(date), ZoneOffset.UTC))
                            .build())
                    .build())
            .trigger(USD);

    assertThat(triggered).isEqualTo(DailySettlementWorkflow.workflowId("USD", date.toString(), 1));
    assertThat(footprint(merchants.keySet())).isEqualTo(before);
    assertThat(RecordedFile.started).hasSizeLessThanOrEqualTo(1);

    // a forced second claim, by SQL: another run over an overlapping window
    jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                                         window_start, window_end, status)
            SELECT 'USD', ?, 1, 'settlement-USD-forced', window_start + interval '1 hour',
                   window_end + interval '1 hour', 'computing'
            FROM settlement_runs WHERE id = ?
            """)
        .params(date.plusYears(50), run)
        .update();
    long other = runId(date.plusYears(50));
    assertThatThrownBy(
            () ->
                jdbc.sql("UPDATE settlement_runs SET claimed_at = now() WHERE id = ?")
                    .param(other)
                    .update())
        .hasMessageContaining("settlement_runs_claimed_windows_disjoint");
    // or one of its items, by SQL, into another run
    String someItem =
        jdbc.sql("SELECT id FROM settlement_run_items WHERE run_id = ? LIMIT 1")
            .param(run)
            .query(String.class)
            .single();
    assertThatThrownBy(
            () ->
                jdbc.sql("UPDATE settlement_items SET settled_run_id = ? WHERE id = ?")
                    .params(other, someItem)
                    .update())
        .hasMessageContaining("is settled by the run whose window holds it");
    assertThatThrownBy(
            () ->
                jdbc.sql("UPDATE settlement_items SET late = true WHERE id = ?")
                    .param(someItem)
                    .update())
        .hasMessageContaining("cannot become late");
  }

  /**
   * An item committed after its day's window was claimed is late: not its window's run's (whose
   * claim, executed again after the figures were computed, adds nothing), but the next run's, once.
   */
  @Test
  void aLateItem_isSettledOnceByTheNextRun_andARepeatedClaimAddsNothing() {
    LocalDate day1 = LocalDate.of(2022, 9, 5);
    LocalDate day2 = day1.plusDays(1);
    LocalDate day3 = day1.plusDays(2);
    String merchant = payments.merchant();
    insertTerms(merchant, day1, new Terms(100, 0, false, 0, 0), 1);
    OffsetDateTime inDay1 =
        OffsetDateTime.ofInstant(USD.windowStartOf(day1), ZoneOffset.UTC).plusHours(1);
    insertItem(merchant, "capture", 100_000, inDay1);
    startWorker(env.getWorkerFactory());
    settle(day1);
    SettlementActivitiesImpl activities = new SettlementActivitiesImpl(jdbc, transactions);
    long run2 =
        activities
            .openRun(
                new SettlementRequest(USD, day2.toString(), 1, SettlementRequest.SCHEDULE, null))
            .runId();
    long held = activities.claim(run2);

    insertItem(merchant, "capture", 7_000, inDay1); // committed after day 1's claim
    assertThat(activities.claim(run2)).as("claimed once").isEqualTo(held);
    assertThat(lateItems(merchant, null)).isEqualTo(1);
    settle(day2);
    assertThat(settlement(runId(day2), merchant)).as("not day 2's: its claim came first").isNull();
    settle(day3);

    assertThat(lateItems(merchant, runId(day3))).isEqualTo(1);
    assertThat(settlement(runId(day3), merchant))
        .isEqualTo(new MerchantFigures(1, 0, 7_000, 0, 70, 0, 0, 6_930));
    assertThat(settlement(runId(day1), merchant).gross()).isEqualTo(100_000);
    assertThatThrownBy(
            () ->
                jdbc.sql(
                        "UPDATE settlement_items SET settled_run_id = ? WHERE merchant_id = ? AND late")
                    .params(runId(day2), merchant)
                    .update())
        .hasMessageContaining("is already settled by run " + runId(day3));
  }

  /**
   * The claim sums its run's items per merchant once ({@code settlement_run_totals}, V15, which the
   * batches read instead of the items): the view's sums, captures and refunds apart; an item
   * committed after the claim is late and in neither, and a repeated claim adds nothing.
   */
  @Test
  void theClaim_sumsItsRunsItemsPerMerchant_andALaterItemChangesNothing() {
    LocalDate day = LocalDate.of(2020, 11, 2);
    String merchant = payments.merchant();
    String other = payments.merchant();
    insertTerms(merchant, day, new Terms(100, 0, false, 0, 0), 1);
    insertTerms(other, day, new Terms(100, 0, false, 0, 0), 1);
    OffsetDateTime at =
        OffsetDateTime.ofInstant(USD.windowStartOf(day), ZoneOffset.UTC).plusHours(1);
    insertItem(merchant, "capture", 10_000, at);
    insertItem(merchant, "capture", 2_500, at.plusMinutes(1));
    insertItem(merchant, "refund", 1_000, at.plusMinutes(2));
    insertItem(other, "capture", 700, at);
    SettlementActivitiesImpl activities = new SettlementActivitiesImpl(jdbc, transactions);
    long run =
        activities
            .openRun(
                new SettlementRequest(USD, day.toString(), 1, SettlementRequest.SCHEDULE, null))
            .runId();

    assertThat(activities.claim(run)).isEqualTo(4);
    insertItem(merchant, "capture", 9_999, at.plusMinutes(3));
    assertThat(activities.claim(run)).as("claimed once").isEqualTo(4);

    String sums =
        """
        SELECT merchant_id || ' ' || %s FROM %s WHERE run_id = ? %s ORDER BY merchant_id
        """;
    List<String> totals =
        jdbc.sql(
                sums.formatted(
                    "capture_count || ' ' || refund_count || ' ' || gross || ' ' || refunds",
                    "settlement_run_totals",
                    ""))
            .param(run)
            .query(String.class)
            .list();
    List<String> items =
        jdbc.sql(
                sums.formatted(
                    """
                    count(*) FILTER (WHERE kind = 'capture') || ' '
                    || count(*) FILTER (WHERE kind = 'refund') || ' '
                    || coalesce(sum(amount) FILTER (WHERE kind = 'capture'), 0) || ' '
                    || coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0)""",
                    "settlement_run_items",
                    "GROUP BY merchant_id"))
            .param(run)
            .query(String.class)
            .list();
    assertThat(totals)
        .containsExactlyInAnyOrder(merchant + " 2 1 12500 1000", other + " 1 0 700 0")
        .isEqualTo(items);
  }

  private static long lateItems(String merchant, Long run) {
    return jdbc.sql(
            """
            SELECT count(*) FROM settlement_items
            WHERE merchant_id = ? AND late AND settled_run_id IS NOT DISTINCT FROM CAST(? AS bigint)
            """)
        .params(merchant, run)
        .query(Long.class)
        .single();
  }

  /** A merchant with a capture of 100,000 on {@code day}, 1% fees and a 10% reserve held a day. */
  private static String merchantHoldingAReserve(LocalDate day) {
    String merchant = payments.merchant();
    insertTerms(merchant, day, new Terms(100, 0, false, 0, 1000), 1);
    insertItem(
        merchant,
        "capture",
        100_000,
        OffsetDateTime.ofInstant(USD.windowStartOf(day), ZoneOffset.UTC).plusHours(1));
    return merchant;
  }

  @Test
  void theReserveHeld_isReleasedHoldDaysLater_byThatDaysRun() {
    LocalDate day1 = LocalDate.of(2022, 1, 5);
    LocalDate day2 = day1.plusDays(1);
    String merchant = merchantHoldingAReserve(day1);
    startWorker(env.getWorkerFactory());

    settle(day1);
    settle(day2);

    assertThat(settlement(runId(day1), merchant))
        .isEqualTo(new MerchantFigures(1, 0, 100_000, 0, 1000, 10_000, 0, 89_000));
    assertThat(settlement(runId(day2), merchant))
        .isEqualTo(new MerchantFigures(0, 0, 0, 0, 0, 0, 10_000, 10_000));
    assertThat(balance("merchant_reserve", merchant)).isZero();
    assertThat(payouts(merchant))
        .extracting(p -> p.get("amount"))
        .containsExactlyInAnyOrder(89_000L, 10_000L);
  }

  @Test
  void aReserveDueOnADayWithNoRun_isReleasedByTheNextRun_once_andTheSchemaRefusesItTwice() {
    LocalDate day1 = LocalDate.of(2022, 3, 7);
    LocalDate day3 = day1.plusDays(2);
    LocalDate day4 = day1.plusDays(3);
    String merchant = merchantHoldingAReserve(day1);
    startWorker(env.getWorkerFactory());

    settle(day1);
    settle(day3); // day1 + 1, when the reserve fell due, had no run
    settle(day4);

    assertThat(settlement(runId(day3), merchant))
        .isEqualTo(new MerchantFigures(0, 0, 0, 0, 0, 0, 10_000, 10_000));
    assertThat(settlement(runId(day4), merchant)).as("released once").isNull();
    assertThat(balance("merchant_reserve", merchant)).isZero();
    assertThat(payouts(merchant))
        .extracting(p -> p.get("amount"))
        .containsExactlyInAnyOrder(89_000L, 10_000L);
    assertThatThrownBy(
            () ->
                jdbc.sql(
                        """
                        INSERT INTO reserve_releases
                            (currency, held_date, merchant_id, release_run_id, amount)
                        VALUES ('USD', ?, ?, ?, 10000)
                        """)
                    .params(day1, merchant, runId(day4))
                    .update())
        .hasMessageContaining("already released by run " + runId(day3));
  }

  @Test
  void batchActivitiesLostAfterTheirCommit_areRetried_andPostNothingTwice() {
    List<MerchantPlan> plans = generate(777L, 6);
    LocalDate cleanDate = LocalDate.of(2024, 2, 1);
    LocalDate lostDate = LocalDate.of(2024, 8, 1);
    Map<String, MerchantPlan> clean = create(plans, cleanDate);
    Map<String, MerchantPlan> lost = create(plans, lostDate);
    LostAfterCommit batches = new LostAfterCommit();
    startWorker(env.getWorkerFactory(), batches);

    settle(cleanDate);
    batches.losing = true;
    settle(lostDate); // also releases the clean day's reserves, due since the day after it
    settle(lostDate.plusDays(1)); // releases the lost day's

    assertThat(batches.failed).hasSizeGreaterThan(4);
    assertThat(ledgerByPosition(lost.keySet())).isEqualTo(ledgerByPosition(clean.keySet()));
  }

  /** The real batch activities, slowed down so that the worker can be stopped in the fan-out. */
  static class SlowBatches extends SettlementBatchActivitiesImpl {
    SlowBatches() {
      super(jdbc, transactions, ledger);
    }

    @Override
    public void post(SettlementBatch batch) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      super.post(batch);
    }
  }

  /**
   * Against the Temporal dev server (the in-process test server delivered nothing to a second
   * worker factory after the first was stopped): the worker is stopped once a batch has posted, a
   * new one takes over, and the ledger is the same as a clean run's.
   */
  @Test
  void aWorkerStoppedInTheFanOut_andANewOne_postNothingTwice_sameLedgerAsACleanRun()
      throws Exception {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "temporal-");
    try (TemporalDevServer server =
        TemporalDevServer.start(
            home.resolve("data"),
            SharedDevServers.repoRoot().resolve(".payrail/tools"),
            home.resolve("logs"),
            SharedDevServers.repoRoot().resolve("infra/temporal"),
            Ports.free(),
            Ports.free())) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      WorkflowClient devClient =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace(server.namespace()).build());
      List<MerchantPlan> plans = generate(424242L, 8);
      LocalDate cleanDate = LocalDate.of(2023, 2, 1);
      LocalDate stoppedDate = LocalDate.of(2023, 8, 1);
      Map<String, MerchantPlan> clean = create(plans, cleanDate);
      Map<String, MerchantPlan> stopped = create(plans, stoppedDate);
      WorkerFactory first = WorkerFactory.newInstance(devClient);
      startWorker(first, new SlowBatches());
      devClient
          .newWorkflowStub(DailySettlementWorkflow.class, runOptions(cleanDate))
          .settle(
              new SettlementRequest(
                  USD, cleanDate.toString(), 1, SettlementRequest.SCHEDULE, null));

      WorkflowClient.start(
          devClient.newWorkflowStub(DailySettlementWorkflow.class, runOptions(stoppedDate))::settle,
          new SettlementRequest(USD, stoppedDate.toString(), 1, SettlementRequest.SCHEDULE, null));
      awaitSomeSettlementEntry(stopped.keySet());
      first.shutdownNow();
      first.awaitTermination(30, TimeUnit.SECONDS);
      long postedWhenStopped = settlementEntries(stopped.keySet());
      WorkerFactory second = WorkerFactory.newInstance(devClient);
      startWorker(second);
      String result =
          devClient
              .newUntypedWorkflowStub(
                  DailySettlementWorkflow.workflowId("USD", stoppedDate.toString(), 1))
              .getResult(120, TimeUnit.SECONDS, String.class);
      // the stopped day's run released the clean day's reserves; the next day releases its own
      devClient
          .newWorkflowStub(DailySettlementWorkflow.class, runOptions(stoppedDate.plusDays(1)))
          .settle(
              new SettlementRequest(
                  USD, stoppedDate.plusDays(1).toString(), 1, SettlementRequest.SCHEDULE, null));
      second.shutdownNow();
      service.shutdownNow();

      assertThat(result).isEqualTo(RunStatus.POSTED);
      assertThat(postedWhenStopped)
          .as("stopped in the middle of the fan-out")
          .isPositive()
          .isLessThan(settlementEntries(clean.keySet()));
      assertThat(ledgerByPosition(stopped.keySet())).isEqualTo(ledgerByPosition(clean.keySet()));
    }
  }

  // ---- reading ----

  private static void awaitSomeSettlementEntry(Iterable<String> merchants)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (settlementEntries(merchants) == 0) {
      assertThat(System.nanoTime()).as("a batch posted within 60 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long settlementEntries(Iterable<String> merchants) {
    long count = 0;
    for (String merchant : merchants) {
      count +=
          jdbc.sql(
                  "SELECT count(*) FROM journal_entries WHERE kind = 'settlement' AND"
                      + " idempotency_key LIKE '%:' || ?")
              .param(merchant)
              .query(Long.class)
              .single();
    }
    return count;
  }

  /**
   * Per merchant, in creation order: its entries by kind and its settlement balances; equal for two
   * merchant sets of the same plans when each was settled exactly once.
   */
  private static List<Map<String, Object>> ledgerByPosition(Iterable<String> merchants) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String merchant : merchants) {
      Map<String, Object> row = new HashMap<>();
      jdbc.sql(
              """
              SELECT a.code, a.balance, (SELECT count(*) FROM journal_lines l WHERE l.account_id = a.id)
              FROM ledger_accounts a WHERE a.merchant_id = ? AND a.currency = 'USD'
              """)
          .param(merchant)
          .query((r, n) -> row.put(r.getString(1), r.getLong(2) + " in " + r.getLong(3) + " lines"))
          .list();
      row.put("payouts", payouts(merchant).stream().map(p -> p.get("amount")).toList());
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Long> footprint(Iterable<String> merchants) {
    Map<String, Long> counts = new HashMap<>();
    for (String merchant : merchants) {
      counts.merge(
          "entries",
          jdbc.sql(
                  "SELECT count(*) FROM journal_lines l JOIN ledger_accounts a ON a.id ="
                      + " l.account_id WHERE a.merchant_id = ?")
              .param(merchant)
              .query(Long.class)
              .single(),
          Long::sum);
      counts.merge("payouts", (long) payouts(merchant).size(), Long::sum);
      counts.merge(
          "settlements",
          jdbc.sql("SELECT count(*) FROM merchant_settlements WHERE merchant_id = ?")
              .param(merchant)
              .query(Long.class)
              .single(),
          Long::sum);
      counts.merge("available " + merchant, balance("merchant_available", merchant), Long::sum);
    }
    return counts;
  }

  private static long unsettledItems(String merchant) {
    return jdbc.sql(
            """
            SELECT count(*) FROM settlement_items i
            WHERE i.merchant_id = ?
              AND NOT EXISTS (SELECT 1 FROM settlement_run_items v
                              JOIN settlement_runs r ON r.id = v.run_id
                              WHERE v.id = i.id AND r.status IN ('posting', 'posted'))
            """)
        .param(merchant)
        .query(Long.class)
        .single();
  }

  private static MerchantFigures settlement(long run, String merchant) {
    return jdbc.sql(
            """
            SELECT capture_count, refund_count, gross, refunds, fees, reserve_held,
                   reserve_released, net
            FROM merchant_settlements WHERE run_id = ? AND merchant_id = ?
            """)
        .params(run, merchant)
        .query(
            (r, n) ->
                new MerchantFigures(
                    r.getInt(1),
                    r.getInt(2),
                    r.getLong(3),
                    r.getLong(4),
                    r.getLong(5),
                    r.getLong(6),
                    r.getLong(7),
                    r.getLong(8)))
        .optional()
        .orElse(null);
  }

  private static long balance(String code, String merchant) {
    return jdbc.sql(
            "SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE code = ? AND merchant_id"
                + " = ? AND currency = 'USD'")
        .params(code, merchant)
        .query(Long.class)
        .single();
  }

  private static List<Map<String, Object>> payouts(String merchant) {
    return jdbc.sql(
            "SELECT id, amount, status, rail FROM payouts WHERE merchant_id = ? ORDER BY amount")
        .param(merchant)
        .query()
        .listOfRows();
  }

  private static long sumOfSettlementLines(long run, String code) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(l.amount), 0)
            FROM journal_entries e
            JOIN journal_lines l ON l.entry_id = e.id
            JOIN ledger_accounts a ON a.id = l.account_id
            WHERE e.kind = 'settlement' AND e.idempotency_key LIKE 'settlement:' || ? || ':%'
              AND a.code = ?
            """)
        .params(run, code)
        .query(Long.class)
        .single();
  }

  private static String status(long run) {
    return jdbc.sql("SELECT status FROM settlement_runs WHERE id = ?")
        .param(run)
        .query(String.class)
        .single();
  }
}
