package io.payrail.workflows.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The run's fan-out over merchant batches, with fake activities, in skipped time. */
@Timeout(60)
class DailySettlementWorkflowTest {

  private static final String QUEUE = "settlement-test";
  private static final SettlementCalendar USD =
      new SettlementCalendar("USD", "22:00", "America/New_York");
  private static final long RUN_ID = 7;

  private TestWorkflowEnvironment env;
  private final Run run = new Run();
  private final Batches batches = new Batches();

  /** The run-level activities: a day of {@code merchants} merchants named m00001, m00002... */
  static class Run implements SettlementActivities {
    volatile int merchants;
    volatile String openStatus = RunStatus.COMPUTING;
    volatile List<String> rails = List.of();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> statuses = new CopyOnWriteArrayList<>();

    @Override
    public OpenedRun openRun(SettlementRequest request) {
      calls.add("open " + request.businessDate());
      return new OpenedRun(RUN_ID, openStatus);
    }

    @Override
    public long claim(long runId) {
      calls.add("claim " + runId);
      return merchants;
    }

    @Override
    public List<MerchantRange> plan(long runId, int batchSize, int maxBatches) {
      calls.add("plan " + batchSize);
      List<MerchantRange> ranges = new ArrayList<>();
      for (int first = 1; first <= merchants; first += batchSize) {
        int last = Math.min(merchants, first + batchSize - 1);
        ranges.add(new MerchantRange(merchant(first), merchant(last)));
      }
      return ranges;
    }

    @Override
    public void setStatus(long runId, String status) {
      statuses.add(status);
    }

    @Override
    public List<String> railsWithPayouts(long runId) {
      return rails;
    }

    static String merchant(int n) {
      return "m%05d".formatted(n);
    }
  }

  /** The batch activities: what each range went through, in order. */
  static class Batches implements SettlementBatchActivities {
    final Map<MerchantRange, List<String>> steps = new ConcurrentHashMap<>();
    final AtomicInteger postAttempts = new AtomicInteger();

    /** What each post throws while set. */
    volatile RuntimeException postFailure;

    @Override
    public int compute(SettlementBatch batch) {
      return step(batch, "compute");
    }

    @Override
    public void post(SettlementBatch batch) {
      postAttempts.incrementAndGet();
      RuntimeException failure = postFailure;
      if (failure != null) {
        throw failure;
      }
      step(batch, "post");
    }

    @Override
    public int createPayouts(SettlementBatch batch) {
      return step(batch, "payouts");
    }

    private int step(SettlementBatch batch, String step) {
      assertThat(batch.runId()).isEqualTo(RUN_ID);
      steps.computeIfAbsent(batch.merchants(), r -> new CopyOnWriteArrayList<>()).add(step);
      return 1;
    }
  }

  /** A batch that takes a simulated minute, counting how many are open at once. */
  public static class SlowBatch implements SettlementBatchWorkflow {
    static final AtomicInteger open = new AtomicInteger();
    static final AtomicInteger mostOpen = new AtomicInteger();
    static final AtomicInteger done = new AtomicInteger();

    @Override
    public int settleBatch(SettlementBatch batch) {
      mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      Workflow.sleep(Duration.ofMinutes(1));
      open.decrementAndGet();
      done.incrementAndGet();
      return 0;
    }
  }

  /** A payout file that waits days for its approval, as the real one does. */
  public static class WaitingFile implements PayoutFileWorkflow {
    static final List<PayoutFileInput> started = new CopyOnWriteArrayList<>();

    @Override
    public String run(PayoutFileInput input) {
      started.add(input);
      Workflow.sleep(Duration.ofDays(3));
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

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    SlowBatch.open.set(0);
    SlowBatch.mostOpen.set(0);
    SlowBatch.done.set(0);
    WaitingFile.started.clear();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private void startWorker(int batchSize, Class<?> batchWorkflow) {
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationFactory(
        DailySettlementWorkflow.class, () -> new DailySettlementWorkflowImpl(batchSize));
    worker.registerWorkflowImplementationTypes(batchWorkflow, WaitingFile.class);
    worker.registerActivitiesImplementations(run, batches);
    env.start();
  }

  @Test
  void aDayOf23Merchants_inBatchesOf5_settlesEachMerchantOnce_computeThenPostThenPayouts() {
    run.merchants = 23;
    startWorker(5, SettlementBatchWorkflowImpl.class);

    assertThat(settle("2026-11-24")).isEqualTo(RunStatus.POSTED);

    assertThat(batches.steps).hasSize(5);
    batches
        .steps
        .values()
        .forEach(steps -> assertThat(steps).containsExactly("compute", "post", "payouts"));
    List<Integer> covered = new ArrayList<>();
    batches.steps.keySet().stream()
        .sorted((a, b) -> a.first().compareTo(b.first()))
        .forEach(
            range -> {
              for (int m = number(range.first()); m <= number(range.last()); m++) {
                covered.add(m);
              }
            });
    assertThat(covered).containsExactlyElementsOf(range(1, 23));
    assertThat(run.calls).containsExactly("open 2026-11-24", "claim 7", "plan 5");
    assertThat(run.statuses)
        .containsExactly(RunStatus.COMPUTING, RunStatus.POSTING, RunStatus.POSTED);
  }

  @Test
  void never_moreThanTheWindowOfBatchesOpenAtOnce() {
    run.merchants = 40;
    startWorker(2, SlowBatch.class);

    settle("2026-11-24");

    assertThat(SlowBatch.done).hasValue(20);
    assertThat(SlowBatch.mostOpen).hasValue(DailySettlementWorkflowImpl.WINDOW);
  }

  @Test
  void onePayoutFilePerRail_startedAbandoned_outlivesTheRun() {
    run.merchants = 3;
    run.rails = List.of("ach", "sepa");
    startWorker(5, SettlementBatchWorkflowImpl.class);

    settle("2026-11-24");

    for (String rail : List.of("ach", "sepa")) {
      assertThat(status(PayoutFileWorkflow.workflowId("USD", "2026-11-24", 1, rail)))
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
    // started is all the run waits for; the files' first tasks may still be on their way
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (WaitingFile.started.size() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(WaitingFile.started)
        .extracting(PayoutFileInput::rail)
        .containsExactlyInAnyOrder("ach", "sepa");
    assertThat(WaitingFile.started)
        .allSatisfy(
            file -> {
              assertThat(file.runId()).isEqualTo(RUN_ID);
              assertThat(file.requestedBy()).isEqualTo(SettlementRequest.SCHEDULE);
            });
  }

  @Test
  void aRunAlreadyPosted_claimsAndPostsNothing() {
    run.merchants = 10;
    run.openStatus = RunStatus.POSTED;
    run.rails = List.of("ach");
    startWorker(5, SettlementBatchWorkflowImpl.class);

    assertThat(settle("2026-11-24")).isEqualTo(RunStatus.POSTED);

    assertThat(run.calls).containsExactly("open 2026-11-24");
    assertThat(batches.steps).isEmpty();
    assertThat(WaitingFile.started).isEmpty();
  }

  @Test
  void theRunIsFoundByItsSearchAttributes() {
    run.merchants = 1;
    startWorker(5, SettlementBatchWorkflowImpl.class);
    settle("2026-11-24");

    var attributes =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(DailySettlementWorkflow.workflowId("USD", "2026-11-24", 1))
            .describe()
            .getTypedSearchAttributes();

    assertThat(attributes.get(PayrailSearchAttributes.BUSINESS_DATE)).isEqualTo("2026-11-24");
    assertThat(attributes.get(PayrailSearchAttributes.CURRENCY)).isEqualTo("USD");
    assertThat(attributes.get(PayrailSearchAttributes.RUN_NUMBER)).isEqualTo(1L);
    assertThat(attributes.get(PayrailSearchAttributes.SETTLEMENT_STATUS))
        .isEqualTo(RunStatus.POSTED);
  }

  @Test
  void anEntryThatCannotBalance_failsTheRunAtOnce_ratherThanRetryingForEver() {
    run.merchants = 3;
    batches.postFailure = new IllegalArgumentException("the lines of an entry must sum to zero");
    startWorker(5, SettlementBatchWorkflowImpl.class);

    assertThatThrownBy(() -> settle("2026-11-24")).isInstanceOf(WorkflowFailedException.class);

    assertThat(batches.postAttempts).hasValue(1);
    assertThat(run.statuses).doesNotContain(RunStatus.POSTED);
  }

  @Test
  void aRunStuckOnAFailureThatMayPass_isShownStalled_thenResumesAndPosts() {
    run.merchants = 3;
    batches.postFailure = new IllegalStateException("connection refused");
    startWorker(5, SettlementBatchWorkflowImpl.class);
    String id = DailySettlementWorkflow.workflowId("USD", "2026-11-24", 1);
    DailySettlementWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                DailySettlementWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(
        workflow::settle,
        new SettlementRequest(USD, "2026-11-24", 1, SettlementRequest.SCHEDULE, null));

    env.sleep(DailySettlementWorkflowImpl.STALL_ALERT.minusMinutes(5));
    assertThat(settlementStatus(id)).isEqualTo(RunStatus.POSTING);
    env.sleep(Duration.ofMinutes(10));
    assertThat(settlementStatus(id)).isEqualTo(DailySettlementWorkflowImpl.STALLED);

    batches.postFailure = null;
    assertThat(env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(String.class))
        .isEqualTo(RunStatus.POSTED);
    assertThat(batches.postAttempts.get()).isGreaterThan(30);
    assertThat(settlementStatus(id)).isEqualTo(RunStatus.POSTED);
  }

  private String settlementStatus(String workflowId) {
    return env.getWorkflowClient()
        .newUntypedWorkflowStub(workflowId)
        .describe()
        .getTypedSearchAttributes()
        .get(PayrailSearchAttributes.SETTLEMENT_STATUS);
  }

  private String settle(String businessDate) {
    DailySettlementWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                DailySettlementWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(DailySettlementWorkflow.workflowId("USD", businessDate, 1))
                    .build());
    return workflow.settle(
        new SettlementRequest(USD, businessDate, 1, SettlementRequest.SCHEDULE, null));
  }

  private WorkflowExecutionStatus status(String workflowId) {
    return env.getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  private static int number(String merchant) {
    return Integer.parseInt(merchant.substring(1));
  }

  private static List<Integer> range(int first, int last) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      numbers.add(i);
    }
    return numbers;
  }
}
