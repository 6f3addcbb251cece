package io.payrail.workflows.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A finance rerun (run 2 of a day) with fake activities, in skipped time: it computes beside run 1
 * and waits; the requester may not approve it; another finance user's approval voids run 1's unsent
 * file, applies and pays out again; a rejection applies nothing; a day without a decision alerts.
 */
@Timeout(60)
class RerunWorkflowTest {

  private static final String QUEUE = "settlement-test";
  private static final SettlementCalendar USD =
      new SettlementCalendar("USD", "22:00", "America/New_York");
  private static final long RERUN_ID = 8;
  private static final String MAKER = "finance-maker";
  private static final String CHECKER = "finance-checker";
  private static final String RUN_1_FILE =
      PayoutFileWorkflow.workflowId("USD", "2026-11-24", 1, "ach");

  private TestWorkflowEnvironment env;
  private final Reruns reruns = new Reruns();
  private final DailySettlementWorkflowTest.Run run = new DailySettlementWorkflowTest.Run();
  private final Payouts payouts = new Payouts();

  /** What the rerun asked of the database, in order. */
  static class Reruns implements RerunActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();

    /** Whether the day changed since the rerun was computed. */
    volatile boolean stale;

    @Override
    public void requireFresh(long rerunId) {
      if (stale) {
        throw ApplicationFailure.newNonRetryableFailure(
            "rerun " + rerunId + " is stale: the items of 1 merchants changed", STALE);
      }
    }

    @Override
    public OpenedRun openRerun(SettlementRequest request) {
      calls.add("open " + request.runNumber() + " by " + request.requestedBy());
      return new OpenedRun(RERUN_ID, RunStatus.COMPUTING);
    }

    @Override
    public void computeRerun(long rerunId) {
      calls.add("compute " + rerunId);
    }

    @Override
    public List<String> voidablePayoutFiles(long rerunId) {
      calls.add("voidable");
      return List.of(RUN_1_FILE);
    }

    @Override
    public void awaitPayoutFilesDecided(long rerunId) {
      if (!RecordingFile.voids.contains(RUN_1_FILE)) {
        throw new IllegalStateException("run 1's file not voided yet");
      }
      calls.add("files decided");
    }

    @Override
    public void applyRerun(long rerunId, Approval approval) {
      calls.add("apply by " + approval.approver());
    }

    @Override
    public void rejectRerun(long rerunId, Approval rejection) {
      calls.add("reject by " + rejection.approver());
    }
  }

  /** The normal payout step, per merchant range. */
  static class Payouts implements SettlementBatchActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public int compute(SettlementBatch batch) {
      throw new AssertionError("a rerun computes through RerunActivities");
    }

    @Override
    public void post(SettlementBatch batch) {
      throw new AssertionError("a rerun posts adjustments, not the day again");
    }

    @Override
    public int createPayouts(SettlementBatch batch) {
      calls.add("payouts " + batch.runId() + " " + batch.merchants().first());
      return 1;
    }
  }

  /** A payout file that waits for its approval and can be voided. */
  public static class RecordingFile implements PayoutFileWorkflow {
    static final List<String> voids = new CopyOnWriteArrayList<>();
    static final List<PayoutFileInput> started = new CopyOnWriteArrayList<>();
    private String voided;

    @Override
    public String run(PayoutFileInput input) {
      started.add(input);
      Workflow.await(Duration.ofDays(3), () -> voided != null);
      return voided != null ? "voided" : "acknowledged";
    }

    @Override
    public void validateApprove(Approval approval) {}

    @Override
    public String approve(Approval approval) {
      return "approved";
    }

    @Override
    public void voidFile(String reason) {
      voided = reason;
      voids.add(Workflow.getInfo().getWorkflowId());
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    RecordingFile.voids.clear();
    RecordingFile.started.clear();
    run.merchants = 7;
    run.rails = List.of("ach");
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationFactory(
        DailySettlementWorkflow.class, () -> new DailySettlementWorkflowImpl(5));
    worker.registerWorkflowImplementationTypes(RecordingFile.class);
    worker.registerActivitiesImplementations(reruns, run, payouts);
    env.start();
    // run 1's file, still awaiting approval when the rerun is asked for
    WorkflowClient.start(
        env.getWorkflowClient()
                .newWorkflowStub(
                    PayoutFileWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(RUN_1_FILE)
                        .build())
            ::run,
        new PayoutFileInput(7, "USD", "2026-11-24", 1, "ach", SettlementRequest.SCHEDULE));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aRerun_computesBesideRunOne_andWaits_postingNothing() {
    DailySettlementWorkflow rerun = startRerun();

    awaitStatus(RunStatus.AWAITING_APPROVAL);

    assertThat(reruns.calls).containsExactly("open 2 by " + MAKER, "compute " + RERUN_ID);
    assertThat(run.statuses).containsExactly(RunStatus.COMPUTING);
    assertThat(payouts.calls).isEmpty();
    assertThat(RecordingFile.voids).isEmpty();
    assertThat(WorkflowStub.fromTyped(rerun).getExecution()).isNotNull();
  }

  @Test
  void approvalByTheRequester_isRefused_andTheRerunKeepsWaiting() {
    DailySettlementWorkflow rerun = startRerun();
    awaitStatus(RunStatus.AWAITING_APPROVAL);

    assertThatThrownBy(() -> rerun.approve(new Approval(" Finance-Maker ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("may not approve");

    assertThat(reruns.calls).doesNotContain("apply by " + MAKER);
    assertThat(searchStatus()).isEqualTo(RunStatus.AWAITING_APPROVAL);
    assertThat(rerun.approve(new Approval(CHECKER, "fees checked"))).isEqualTo("approved");
    assertThat(result()).isEqualTo(RunStatus.POSTED);
  }

  @Test
  void approval_voidsRunOnesUnsentFile_applies_thenPaysOutAgainWithItsOwnFiles() {
    DailySettlementWorkflow rerun = startRerun();
    awaitStatus(RunStatus.AWAITING_APPROVAL);

    assertThat(rerun.approve(new Approval(CHECKER, "fees checked"))).isEqualTo("approved");

    assertThat(result()).isEqualTo(RunStatus.POSTED);
    assertThat(RecordingFile.voids).containsExactly(RUN_1_FILE);
    assertThat(reruns.calls)
        .containsExactly(
            "open 2 by " + MAKER,
            "compute " + RERUN_ID,
            "voidable",
            "files decided",
            "apply by " + CHECKER);
    assertThat(payouts.calls).containsExactly("payouts 8 m00001", "payouts 8 m00006");
    assertThat(RecordingFile.started)
        .filteredOn(file -> file.runNumber() == 2)
        .singleElement()
        .satisfies(
            file -> {
              assertThat(file.runId()).isEqualTo(RERUN_ID);
              assertThat(file.requestedBy()).isEqualTo(MAKER);
            });
    assertThat(run.statuses).containsExactly(RunStatus.COMPUTING, RunStatus.POSTED);
  }

  @Test
  void aStaleRerun_isRefusedToItsApprover_voidingNothing_andCanStillBeRejected() {
    DailySettlementWorkflow rerun = startRerun();
    awaitStatus(RunStatus.AWAITING_APPROVAL);
    reruns.stale = true;

    assertThatThrownBy(() -> rerun.approve(new Approval(CHECKER, "fees checked")))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(RerunActivities.STALE));

    assertThat(RecordingFile.voids).isEmpty();
    assertThat(reruns.calls).doesNotContain("voidable", "apply by " + CHECKER);
    assertThat(searchStatus()).isEqualTo(RunStatus.AWAITING_APPROVAL);
    assertThat(rerun.reject(new Approval(CHECKER, "stale: ask again"))).isEqualTo("rejected");
    assertThat(result()).isEqualTo(RunStatus.REJECTED);
  }

  @Test
  void rejection_appliesNothing_andLeavesRunOne() {
    DailySettlementWorkflow rerun = startRerun();
    awaitStatus(RunStatus.AWAITING_APPROVAL);

    assertThat(rerun.reject(new Approval(CHECKER, "wrong terms version"))).isEqualTo("rejected");

    assertThat(result()).isEqualTo(RunStatus.REJECTED);
    assertThat(reruns.calls)
        .containsExactly("open 2 by " + MAKER, "compute " + RERUN_ID, "reject by " + CHECKER);
    assertThat(RecordingFile.voids).isEmpty();
    assertThat(payouts.calls).isEmpty();
    assertThatThrownBy(() -> rerun.approve(new Approval(CHECKER, null)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void noDecisionWithinTheDeadline_alertsOperators_andStillWaits() {
    DailySettlementWorkflow rerun = startRerun();
    awaitStatus(RunStatus.AWAITING_APPROVAL);

    env.sleep(DailySettlementWorkflowImpl.APPROVAL_DEADLINE.plusHours(1));

    assertThat(searchStatus()).isEqualTo(RunStatus.APPROVAL_OVERDUE);
    assertThat(reruns.calls).doesNotContain("apply by " + CHECKER);
    rerun.approve(new Approval(CHECKER, "late, but checked"));
    assertThat(result()).isEqualTo(RunStatus.POSTED);
    assertThat(reruns.calls).contains("apply by " + CHECKER);
  }

  private DailySettlementWorkflow startRerun() {
    DailySettlementWorkflow rerun =
        env.getWorkflowClient()
            .newWorkflowStub(
                DailySettlementWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(rerunId()).build());
    WorkflowClient.start(
        rerun::settle, new SettlementRequest(USD, "2026-11-24", 2, MAKER, "terms corrected"));
    return rerun;
  }

  private static String rerunId() {
    return DailySettlementWorkflow.workflowId("USD", "2026-11-24", 2);
  }

  private String result() {
    return env.getWorkflowClient().newUntypedWorkflowStub(rerunId()).getResult(String.class);
  }

  private void awaitStatus(String status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!status.equals(searchStatus()) && System.nanoTime() < deadline) {
      env.sleep(Duration.ofSeconds(1));
    }
    assertThat(searchStatus()).isEqualTo(status);
  }

  private String searchStatus() {
    var attributes =
        env.getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(env.getNamespace())
                    .setExecution(
                        WorkflowStub.fromTyped(
                                env.getWorkflowClient()
                                    .newWorkflowStub(DailySettlementWorkflow.class, rerunId()))
                            .getExecution())
                    .build())
            .getWorkflowExecutionInfo()
            .getSearchAttributes()
            .getIndexedFieldsMap()
            .get(PayrailSearchAttributes.SETTLEMENT_STATUS.getName());
    return attributes == null
        ? null
        : io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            attributes, String.class, String.class);
  }
}
