package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.settlement.RerunActivitiesImpl;
import io.payrail.activities.settlement.SettlementActivitiesImpl;
import io.payrail.activities.settlement.SettlementBatchActivitiesImpl;
import io.payrail.activities.settlement.payout.PayoutFileActivitiesImpl;
import io.payrail.activities.settlement.payout.PayoutFileProperties;
import io.payrail.platform.card.CardToTokenize;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.DailySettlementWorkflow;
import io.payrail.workflows.settlement.DailySettlementWorkflowImpl;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.payrail.workflows.settlement.SettlementBatchWorkflowImpl;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementRequest;
import io.payrail.workflows.settlement.payout.PayoutFileWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The settlement side of the finance API's end-to-end tests: a worker on the {@code settlement}
 * task queue of the test's Temporal dev server running the real DailySettlementWorkflow, its batch
 * children and the real PayoutFileWorkflow, with the real settlement, rerun and payout-file
 * activities on the api's database. No bank activities: a file approved here stays transmitting
 * (its transmission is PayoutFilesIT's business) and is terminated with the others at the end.
 *
 * <p>Days are far in the future and random, so no other test's runs or items share them.
 */
final class SettlementWorld implements AutoCloseable {

  static final SettlementCalendar USD = new SettlementCalendar("USD", "22:00", "America/New_York");
  static final String ACCOUNT = "000123456789";

  final JdbcClient jdbc;
  private final WorkflowClient temporal;
  private final CardVault vault;
  private final WorkerFactory workers;
  private final List<LocalDate> days = new ArrayList<>();

  SettlementWorld(DataSource database, WorkflowClient temporal, CardVault vault, Path outbox) {
    this.jdbc = JdbcClient.create(database);
    this.temporal = temporal;
    this.vault = vault;
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    Ledger ledger = new Ledger(jdbc, transactions);
    SettlementBatchActivitiesImpl batches =
        new SettlementBatchActivitiesImpl(jdbc, transactions, ledger);
    workers = WorkerFactory.newInstance(temporal);
    Worker worker = workers.newWorker(TaskQueues.SETTLEMENT);
    worker.registerWorkflowImplementationTypes(
        DailySettlementWorkflowImpl.class,
        SettlementBatchWorkflowImpl.class,
        PayoutFileWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new SettlementActivitiesImpl(jdbc, transactions),
        batches,
        new RerunActivitiesImpl(jdbc, transactions, ledger, "api-it"),
        new PayoutFileActivitiesImpl(
            jdbc,
            transactions,
            ledger,
            vault,
            new PayoutFileProperties(outbox, null, null, null),
            "api-it"));
    workers.start();
  }

  /** A business day no other test uses. */
  LocalDate newDay() {
    LocalDate day =
        LocalDate.of(2150, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(0, 36_000));
    days.add(day);
    return day;
  }

  /** Terms in force from {@code from}: {@code feeBps} basis points, paid at once, by ACH. */
  void terms(String merchant, LocalDate from, int feeBps) {
    jdbc.sql(
            """
            INSERT INTO settlement_terms (merchant_id, effective_from, settlement_currency,
                fee_basis_points, fee_fixed, refund_fee_policy, payout_delay_days, minimum_payout,
                reserve_basis_points, reserve_hold_days, payout_rail, account_holder,
                routing_number, account_ciphertext, account_last4, created_by)
            VALUES (?, ?, 'USD', ?, 0, 'none', 0, 0, 0, 0, 'ach', 'Acme Books',
                    '021000021', ?, '6789', 'test')
            """)
        .params(merchant, from, feeBps, vault.sealBankAccount(merchant, ACCOUNT))
        .update();
  }

  /** A captured payment of the day, as the payment workflow records it. */
  void capture(String merchant, long amount, LocalDate day) {
    // a real card, sealed by the vault: key rotation rewraps every stored ciphertext
    String card =
        vault
            .tokenize(
                merchant, new CardToTokenize("4242424242424242", "VISA", 12, 2030, null, null))
            .token();
    String payment = "pay_" + random24();
    jdbc.sql(
            """
            INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method,
                                  card_token)
            VALUES (?, ?, ?, 'USD', 'processing', 'manual', ?)
            """)
        .params(payment, merchant, amount, card)
        .update();
    jdbc.sql(
            """
            INSERT INTO settlement_items
                (id, kind, merchant_id, payment_id, currency, amount, bank_reference, occurred_at)
            VALUES (?, 'capture', ?, ?, 'USD', ?, ?, ?)
            """)
        .params(
            payment,
            merchant,
            payment,
            amount,
            payment + ":capture",
            OffsetDateTime.ofInstant(USD.windowStartOf(day), ZoneOffset.UTC).plusHours(3))
        .update();
  }

  /** Run 1 of the day, as its schedule starts it; returns its id once posted. */
  long settle(LocalDate day) {
    DailySettlementWorkflow run =
        temporal.newWorkflowStub(
            DailySettlementWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.SETTLEMENT)
                .setWorkflowId(DailySettlementWorkflow.workflowId("USD", day.toString(), 1))
                .build());
    WorkflowClient.start(
        run::settle,
        new SettlementRequest(USD, day.toString(), 1, SettlementRequest.SCHEDULE, null));
    assertThat(result(DailySettlementWorkflow.workflowId("USD", day.toString(), 1)))
        .isEqualTo("posted");
    return runId(day, 1);
  }

  /** The workflow's result, waited for at most a minute. */
  String result(String workflowId) {
    try {
      return temporal
          .newUntypedWorkflowStub(workflowId)
          .getResult(60, TimeUnit.SECONDS, String.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(workflowId + " did not end within a minute", e);
    }
  }

  long runId(LocalDate day, int runNumber) {
    return jdbc.sql(
            "SELECT id FROM settlement_runs WHERE currency = 'USD' AND business_date = ?"
                + " AND run_number = ?")
        .params(day, runNumber)
        .query(Long.class)
        .single();
  }

  String status(long runId) {
    return jdbc.sql("SELECT status FROM settlement_runs WHERE id = ?")
        .param(runId)
        .query(String.class)
        .single();
  }

  String fileStatus(LocalDate day, int runNumber) {
    return jdbc.sql(
            """
            SELECT f.status FROM payout_files f JOIN settlement_runs r ON r.id = f.run_id
            WHERE r.currency = 'USD' AND r.business_date = ? AND r.run_number = ?
            """)
        .params(day, runNumber)
        .query(String.class)
        .optional()
        .orElse("none");
  }

  /** Audit records of one target, oldest first: "actor_kind actor_id action". */
  List<String> audit(String targetType, String targetId) {
    return jdbc.sql(
            "SELECT actor_kind || ' ' || actor_id || ' ' || action FROM audit_log"
                + " WHERE target_type = ? AND target_id = ? ORDER BY seq")
        .params(targetType, targetId)
        .query(String.class)
        .list();
  }

  /** Polls {@code condition} every 200 ms for at most a minute. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never happened within a minute: " + what);
  }

  static String random24() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  /** Stops the worker and ends every workflow of this test's days still open. */
  @Override
  public void close() {
    workers.shutdownNow();
    for (LocalDate day : days) {
      for (int run = 1; run <= 5; run++) {
        terminate(DailySettlementWorkflow.workflowId("USD", day.toString(), run));
        terminate(PayoutFileWorkflow.workflowId("USD", day.toString(), run, "ach"));
      }
    }
  }

  private void terminate(String workflowId) {
    try {
      temporal.newUntypedWorkflowStub(workflowId).terminate("test over");
    } catch (RuntimeException alreadyEndedOrNeverStarted) {
      // nothing open under that id
    }
  }
}
