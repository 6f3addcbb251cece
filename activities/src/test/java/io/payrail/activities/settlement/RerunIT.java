package io.payrail.activities.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.DailySettlementWorkflowImpl;
import io.payrail.workflows.settlement.PayoutFileInput;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.payrail.workflows.settlement.RerunActivities;
import io.payrail.workflows.settlement.RunStatus;
import io.payrail.workflows.settlement.SettlementBatchWorkflowImpl;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A finance rerun with the real workflows and activities on PostgreSQL with the schema: a day
 * settled, its fees corrected by a new terms version and a late item, run 2 computed beside run 1
 * with nothing posted, approved by a second finance user, then adjustments posted, the unsent
 * payout voided and paid again with the new amount, and the adjustment of a payout already sent
 * carried into the next day's payout. The payout file workflow is a fake that ends at once
 * (PayoutFilesIT and PayoutFileWorkflowTest test the real one and its void).
 */
@Timeout(300)
class RerunIT {

  private static final String QUEUE = "rerun-it";
  private static final SettlementCalendar USD = new SettlementCalendar("USD", "12:00", "UTC");
  private static final String MAKER = "finance-maker-it";
  private static final String CHECKER = "finance-checker-it";

  private static JdbcClient jdbc;
  private static JdbcTransactionManager transactions;
  private static Ledger ledger;
  private static TestPayments payments;

  private TestWorkflowEnvironment env;

  /** Ends at once: run 1's file has been written by nobody, so its payouts have no file. */
  public static class EndedFile implements PayoutFileWorkflow {
    @Override
    public String run(PayoutFileInput input) {
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
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationFactory(
        DailySettlementWorkflow.class, () -> new DailySettlementWorkflowImpl(2));
    worker.registerWorkflowImplementationTypes(SettlementBatchWorkflowImpl.class, EndedFile.class);
    SettlementBatchActivitiesImpl batches =
        new SettlementBatchActivitiesImpl(jdbc, transactions, ledger);
    worker.registerActivitiesImplementations(
        new SettlementActivitiesImpl(jdbc, transactions),
        batches,
        new RerunActivitiesImpl(jdbc, transactions, ledger, "rerun-it"));
    env.start();
  }

  @AfterEach
  void stopServer() {
    env.close();
  }

  @Test
  void aRerunWithCorrectedFees_isApprovedByAnother_adjusts_voidsAndRepays_andCarriesWhatWasSent()
      throws InterruptedException {
    LocalDate day = LocalDate.of(2021, 6, 14);
    String unsent = payments.merchant();
    String sent = payments.merchant();
    insertTerms(unsent, day, 100);
    insertTerms(sent, day, 100);
    insertItem(unsent, 100_000, day);
    insertItem(sent, 50_000, day);

    assertThat(settle(day, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    long run1 = runId(day, 1);
    assertThat(payoutAmounts(unsent, run1)).containsExactly(99_000L);
    assertThat(payoutAmounts(sent, run1)).containsExactly(49_500L);
    // the bank already has the second merchant's payout
    jdbc.sql("UPDATE payouts SET status = 'in_transit' WHERE run_id = ? AND merchant_id = ?")
        .params(run1, sent)
        .update();
    // finance corrects the day's fees (a new version effective that day) and an item came late
    insertTerms(unsent, day, 300);
    insertTerms(sent, day, 300);
    insertItem(unsent, 10_000, day);

    DailySettlementWorkflow rerun = startRerun(day);
    long run2 = awaitRun(day, 2, RunStatus.AWAITING_APPROVAL);

    assertThat(net(run2, unsent)).isEqualTo(110_000 - 3_300);
    assertThat(net(run2, sent)).isEqualTo(50_000 - 1_500);
    assertThat(
            count(
                "SELECT count(*) FROM journal_entries WHERE idempotency_key LIKE ?",
                "adjustment:" + run2 + ":%"))
        .as("nothing posts before the approval")
        .isZero();
    assertThat(count("SELECT count(*) FROM settlement_items WHERE settled_run_id = ?", run2))
        .isZero();
    assertThat(status(run1)).isEqualTo(RunStatus.POSTED);

    assertThatThrownBy(() -> rerun.approve(new Approval(MAKER, "my own")))
        .isInstanceOf(WorkflowUpdateException.class);
    assertThat(rerun.approve(new Approval(CHECKER, "fees checked"))).isEqualTo("approved");
    assertThat(result(day)).isEqualTo(RunStatus.POSTED);

    assertThat(status(run1)).isEqualTo(RunStatus.SUPERSEDED);
    assertThat(status(run2)).isEqualTo(RunStatus.POSTED);
    assertThat(count("SELECT count(*) FROM settlement_run_items WHERE run_id = ?", run2))
        .as("every item of the day settled by the rerun, once")
        .isEqualTo(3);
    assertThat(count("SELECT count(*) FROM settlement_run_items WHERE run_id = ?", run1)).isZero();
    assertThat(count("SELECT count(*) FROM settlement_items WHERE settled_run_id = ?", run2))
        .as("the late item, item by item; the window's two by the window")
        .isEqualTo(1);
    // the unsent payout: voided, returned, paid again with the new amount
    assertThat(payouts(unsent))
        .extracting(p -> p.get("amount") + " " + p.get("status"))
        .containsExactlyInAnyOrder("99000 voided", "106700 pending");
    assertThat(
            count(
                "SELECT count(*) FROM journal_entries WHERE idempotency_key = ?",
                "payout_return:" + payoutId(unsent, run1)))
        .isEqualTo(1);
    assertThat(available(unsent)).isZero();
    // the sent payout: untouched, its adjustment waits in the balance
    assertThat(payouts(sent))
        .extracting(p -> p.get("amount") + " " + p.get("status"))
        .containsExactly("49500 in_transit");
    assertThat(available(sent)).isEqualTo(-1_000);
    assertThat(adjustmentNet(run2, sent)).isEqualTo(-1_000);
    assertThat(ledgerSum()).as("the ledger is balanced").isZero();
    assertThat(auditActions(run2))
        .containsExactly(
            MAKER + " settlement_rerun.requested", CHECKER + " settlement_rerun.approved");

    // the next day carries the sent merchant's adjustment into its payout
    LocalDate next = day.plusDays(1);
    insertItem(sent, 20_000, next);
    assertThat(settle(next, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    assertThat(payoutAmounts(sent, runId(next, 1))).containsExactly(20_000L - 600 - 1_000);
    assertThat(ledgerSum()).isZero();
  }

  @Test
  void anItemCommittedAfterTheRerunWasComputed_failsTheApproval_andNothingIsApplied()
      throws InterruptedException {
    LocalDate day = LocalDate.of(2021, 6, 22);
    String merchant = payments.merchant();
    insertTerms(merchant, day, 100);
    insertItem(merchant, 40_000, day);
    assertThat(settle(day, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    long run1 = runId(day, 1);
    insertTerms(merchant, day, 200);

    DailySettlementWorkflow rerun = startRerun(day);
    long run2 = awaitRun(day, 2, RunStatus.AWAITING_APPROVAL);
    assertThatThrownBy(
            () ->
                jdbc.sql(
                        """
                        UPDATE settlement_items SET settled_run_id = ?
                        WHERE id IN (SELECT id FROM settlement_run_items WHERE run_id = ?)
                        """)
                    .params(run2, run1)
                    .update())
        .as("the schema moves no item of a window to a rerun: the window passes on approval")
        .hasMessageContaining("is settled by the run whose window holds it");
    // committed late: after the computation, inside the day's window
    insertItem(merchant, 5_000, day);
    assertStale(() -> rerun.approve(new Approval(CHECKER, "looks right")));
    // and if it comes between that check and the approval's transaction, the transaction refuses
    assertStale(
        () ->
            new RerunActivitiesImpl(jdbc, transactions, ledger, "rerun-it")
                .applyRerun(run2, new Approval(CHECKER, "looks right")));

    assertThat(status(run2)).isEqualTo(RunStatus.AWAITING_APPROVAL);
    assertThat(status(run1)).isEqualTo(RunStatus.POSTED);
    assertThat(count("SELECT count(*) FROM settlement_run_items WHERE run_id = ?", run1))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM settlement_items WHERE settled_run_id = ?", run2))
        .isZero();
    assertThat(claimed(run1)).isTrue();
    assertThat(claimed(run2)).as("the window stays run 1's").isFalse();
    assertThat(
            count(
                "SELECT count(*) FROM journal_entries WHERE idempotency_key LIKE ?",
                "adjustment:" + run2 + ":%"))
        .isZero();
    assertThat(rerun.reject(new Approval(CHECKER, "stale: ask again"))).isEqualTo("rejected");
    assertThat(result(day)).isEqualTo(RunStatus.REJECTED);
  }

  /** Refused as stale: the rerun's figures no longer hold the day. */
  private static void assertStale(org.assertj.core.api.ThrowableAssert.ThrowingCallable decision) {
    assertThatThrownBy(decision)
        .as("the approved figures no longer hold the day: nothing may be applied")
        .satisfies(
            failure -> {
              Throwable cause =
                  failure instanceof io.temporal.client.WorkflowUpdateException
                      ? failure.getCause()
                      : failure;
              assertThat(cause)
                  .isInstanceOfSatisfying(
                      io.temporal.failure.ApplicationFailure.class,
                      stale -> assertThat(stale.getType()).isEqualTo(RerunActivities.STALE));
            });
  }

  @Test
  void aRerunReleasingAReserveTheNextDaysRunReleasedSince_isStale_andReleasesNothingTwice()
      throws InterruptedException {
    LocalDate held = LocalDate.of(2021, 7, 5);
    LocalDate due = held.plusDays(1);
    String merchant = payments.merchant();
    insertTerms(merchant, held, 100);
    insertItem(merchant, 100_000, held);
    assertThat(settle(held, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    assertThat(settle(due, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    // finance finds the day should have held a 10% reserve for a day: its rerun holds it
    insertTerms(merchant, held, 100, 1_000, 1);
    DailySettlementWorkflow heldRerun = startRerun(held);
    awaitRun(held, 2, RunStatus.AWAITING_APPROVAL);
    heldRerun.approve(new Approval(CHECKER, "reserve added"));
    assertThat(result(held)).isEqualTo(RunStatus.POSTED);
    // a rerun of the due day now releases it, and waits for its approval...
    DailySettlementWorkflow dueRerun = startRerun(due);
    long dueRun2 = awaitRun(due, 2, RunStatus.AWAITING_APPROVAL);
    assertThat(reserveReleased(dueRun2, merchant)).isEqualTo(10_000);
    // ...while the next day's run, due on or after, releases it first
    LocalDate next = due.plusDays(1);
    assertThat(settle(next, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    assertThat(reserveReleased(runId(next, 1), merchant)).isEqualTo(10_000);

    assertStale(() -> dueRerun.approve(new Approval(CHECKER, "late approval")));

    assertThat(status(dueRun2)).isEqualTo(RunStatus.AWAITING_APPROVAL);
    assertThat(status(runId(due, 1))).isEqualTo(RunStatus.POSTED);
    assertThat(
            count(
                "SELECT count(*) FROM journal_entries WHERE idempotency_key LIKE ?",
                "adjustment:" + dueRun2 + ":%"))
        .isZero();
  }

  @Test
  void afterARejectedRerun_runThreeStartedLikeFromTheCli_supersedesRunOne_butNotWhileTwoWaits()
      throws InterruptedException {
    LocalDate day = LocalDate.of(2021, 7, 12);
    String merchant = payments.merchant();
    insertTerms(merchant, day, 100);
    insertItem(merchant, 30_000, day);
    assertThat(settle(day, 1, SettlementRequest.SCHEDULE)).isEqualTo(RunStatus.POSTED);
    long run1 = runId(day, 1);
    DailySettlementWorkflow second = startRerun(day);
    awaitRun(day, 2, RunStatus.AWAITING_APPROVAL);
    assertThatThrownBy(() -> settle(day, 3, MAKER))
        .as("run 2 awaits its decision: a third run has nothing to supersede")
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class);
    assertThat(count("SELECT count(*) FROM settlement_runs WHERE business_date = ?", day))
        .isEqualTo(2);

    assertThat(second.reject(new Approval(CHECKER, "wrong version"))).isEqualTo("rejected");
    assertThat(result(day)).isEqualTo(RunStatus.REJECTED);
    DailySettlementWorkflow third =
        env.getWorkflowClient().newWorkflowStub(DailySettlementWorkflow.class, options(day, 3));
    WorkflowClient.start(
        third::settle, new SettlementRequest(USD, day.toString(), 3, MAKER, "again"));
    long run3 = awaitRun(day, 3, RunStatus.AWAITING_APPROVAL);

    assertThat(
            jdbc.sql("SELECT supersedes_run_id FROM settlement_runs WHERE id = ?")
                .param(run3)
                .query(Long.class)
                .single())
        .isEqualTo(run1);
    assertThat(third.approve(new Approval(CHECKER, "ok"))).isEqualTo("approved");
    assertThat(
            env.getWorkflowClient()
                .newUntypedWorkflowStub(
                    DailySettlementWorkflow.workflowId("USD", day.toString(), 3))
                .getResult(String.class))
        .isEqualTo(RunStatus.POSTED);
    assertThat(status(run1)).isEqualTo(RunStatus.SUPERSEDED);
  }

  @Test
  void aRerunOfADayThatNeverRan_isRefused_andOpensNoRun() {
    LocalDate day = LocalDate.of(2021, 6, 20);
    String merchant = payments.merchant();
    insertTerms(merchant, day, 100);
    insertItem(merchant, 10_000, day);

    assertThatThrownBy(() -> settle(day, 2, MAKER))
        .as("no run 1 to supersede")
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class);
    assertThat(count("SELECT count(*) FROM settlement_runs WHERE business_date = ?", day)).isZero();
  }

  // ---- helpers ----

  private String settle(LocalDate day, int runNumber, String requestedBy) {
    return env.getWorkflowClient()
        .newWorkflowStub(DailySettlementWorkflow.class, options(day, runNumber))
        .settle(new SettlementRequest(USD, day.toString(), runNumber, requestedBy, "test"));
  }

  private DailySettlementWorkflow startRerun(LocalDate day) {
    DailySettlementWorkflow rerun =
        env.getWorkflowClient().newWorkflowStub(DailySettlementWorkflow.class, options(day, 2));
    WorkflowClient.start(
        rerun::settle,
        new SettlementRequest(USD, day.toString(), 2, MAKER, "fees were 3%, not 1%"));
    return rerun;
  }

  private String result(LocalDate day) {
    return env.getWorkflowClient()
        .newUntypedWorkflowStub(DailySettlementWorkflow.workflowId("USD", day.toString(), 2))
        .getResult(String.class);
  }

  private static WorkflowOptions options(LocalDate day, int runNumber) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(QUEUE)
        .setWorkflowId(DailySettlementWorkflow.workflowId("USD", day.toString(), runNumber))
        .build();
  }

  private static long awaitRun(LocalDate day, int runNumber, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<Long> found =
          jdbc.sql(
                  "SELECT id FROM settlement_runs WHERE currency = 'USD' AND business_date = ?"
                      + " AND run_number = ? AND status = ?")
              .params(day, runNumber, status)
              .query(Long.class)
              .list();
      if (!found.isEmpty()) {
        return found.getFirst();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + runNumber + " of " + day + " never became " + status);
  }

  private static void insertTerms(String merchant, LocalDate from, int feeBps) {
    insertTerms(merchant, from, feeBps, 0, 0);
  }

  private static void insertTerms(
      String merchant, LocalDate from, int feeBps, int reserveBps, int holdDays) {
    jdbc.sql(
            """
            INSERT INTO settlement_terms
                (merchant_id, effective_from, settlement_currency, fee_basis_points, fee_fixed,
                 refund_fee_policy, payout_delay_days, minimum_payout, reserve_basis_points,
                 reserve_hold_days, payout_rail, account_holder, routing_number,
                 account_ciphertext, account_last4, created_by)
            VALUES (?, ?, 'USD', ?, 0, 'none', 0, 0, ?, ?, 'ach', 'Test merchant', '011000015',
                    'vault:v1:x', '6789', 'test')
            """)
        .params(merchant, from, feeBps, reserveBps, holdDays)
        .update();
  }

  private static void insertItem(String merchant, long amount, LocalDate day) {
    OffsetDateTime at =
        OffsetDateTime.ofInstant(USD.windowStartOf(day), ZoneOffset.UTC).plusHours(3);
    String paymentId = payments.payment(merchant, Money.of(amount, "USD")).id();
    jdbc.sql(
            """
            INSERT INTO settlement_items
                (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
            VALUES (?, 'capture', ?, ?, 'USD', ?, ?, ?)
            """)
        .params(paymentId, merchant, paymentId, amount, paymentId + ":capture", at)
        .update();
  }

  private static long runId(LocalDate day, int runNumber) {
    return jdbc.sql(
            "SELECT id FROM settlement_runs WHERE currency = 'USD' AND business_date = ? AND"
                + " run_number = ?")
        .params(day, runNumber)
        .query(Long.class)
        .single();
  }

  private static String status(long run) {
    return jdbc.sql("SELECT status FROM settlement_runs WHERE id = ?")
        .param(run)
        .query(String.class)
        .single();
  }

  private static long reserveReleased(long run, String merchant) {
    return jdbc.sql(
            "SELECT reserve_released FROM merchant_settlements WHERE run_id = ? AND merchant_id = ?")
        .params(run, merchant)
        .query(Long.class)
        .single();
  }

  private static long net(long run, String merchant) {
    return jdbc.sql("SELECT net FROM merchant_settlements WHERE run_id = ? AND merchant_id = ?")
        .params(run, merchant)
        .query(Long.class)
        .single();
  }

  private static long count(String sql, Object parameter) {
    return jdbc.sql(sql).param(parameter).query(Long.class).single();
  }

  private static List<Long> payoutAmounts(String merchant, long run) {
    return jdbc.sql("SELECT amount FROM payouts WHERE merchant_id = ? AND run_id = ?")
        .params(merchant, run)
        .query(Long.class)
        .list();
  }

  private static String payoutId(String merchant, long run) {
    return jdbc.sql("SELECT id FROM payouts WHERE merchant_id = ? AND run_id = ?")
        .params(merchant, run)
        .query(String.class)
        .single();
  }

  private static List<Map<String, Object>> payouts(String merchant) {
    return jdbc.sql("SELECT amount, status FROM payouts WHERE merchant_id = ?")
        .param(merchant)
        .query()
        .listOfRows();
  }

  /** What the merchant can be paid: the credit balance of merchant_available, as a positive. */
  private static long available(String merchant) {
    return -jdbc.sql(
            "SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE code ="
                + " 'merchant_available' AND merchant_id = ? AND currency = 'USD'")
        .param(merchant)
        .query(Long.class)
        .single();
  }

  private static long adjustmentNet(long run, String merchant) {
    return -jdbc.sql(
            """
            SELECT coalesce(sum(l.amount), 0)
            FROM journal_entries e
            JOIN journal_lines l ON l.entry_id = e.id
            JOIN ledger_accounts a ON a.id = l.account_id
            WHERE e.idempotency_key = ? AND a.code IN ('merchant_available', 'merchant_pending')
            """)
        .param("adjustment:" + run + ":" + merchant)
        .query(Long.class)
        .single();
  }

  private static long ledgerSum() {
    return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM journal_lines")
        .query(Long.class)
        .single();
  }

  private static List<String> auditActions(long run) {
    return jdbc.sql(
            "SELECT actor_id || ' ' || action FROM audit_log WHERE target_type = 'settlement_run'"
                + " AND target_id = ? ORDER BY seq")
        .param(Long.toString(run))
        .query(String.class)
        .list();
  }

  private static boolean claimed(long run) {
    return jdbc.sql("SELECT claimed_at IS NOT NULL FROM settlement_runs WHERE id = ?")
        .param(run)
        .query(Boolean.class)
        .single();
  }
}
