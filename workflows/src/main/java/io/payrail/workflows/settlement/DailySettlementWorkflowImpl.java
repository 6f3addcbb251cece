package io.payrail.workflows.settlement;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * One run of a currency's business day: open the run, claim the day's items, settle the merchants
 * in batches (child workflows, at most {@link #WINDOW} open at once), then start one {@link
 * PayoutFileWorkflow} per rail that has payouts.
 *
 * <p>Bounded history: the run has at most {@link #MAX_BATCHES} batches (a bigger day makes bigger
 * batches, not more), so its history stays under about 10,000 events whatever the number of
 * merchants, and each batch's history is about twenty events. No row travels in a payload: the
 * batches carry merchant-id ranges.
 *
 * <p>Exactly once: the claim sets each item's run once (the schema refuses a second), and every
 * posting has an idempotency key, so a retried activity, a worker lost mid-run or the same run
 * started again posts nothing twice. A run already {@code posted} returns at once.
 *
 * <p>Run n+1 is a finance rerun of run n: computed beside it, then it waits (durably, with an
 * approval deadline that alerts operators and keeps waiting) for another finance user's {@code
 * approve} or a {@code reject}. On approval it voids run n's unsent payout files, applies the
 * difference as adjustments and creates payouts and files again, the normal payout step.
 */
public class DailySettlementWorkflowImpl implements DailySettlementWorkflow {

  /** Children settling at once: bounded so a big day does not take every worker slot. */
  static final int WINDOW = 4;

  /**
   * Merchants per batch: each batch is a child workflow and three activities, whose round trips
   * through Temporal cost the same whatever the batch holds; 2,000 settles the benchmark's 10,000
   * merchants in five batches, at once (docs/benchmarks/settlement.md), instead of twenty in waves.
   */
  static final int DEFAULT_BATCH_SIZE = 2000;

  static final int MAX_BATCHES = 1000;

  /** How long finance has to decide on a rerun before operators are alerted. */
  static final Duration APPROVAL_DEADLINE = Duration.ofHours(24);

  /**
   * How long a run may go without a step done (a status reached, a batch settled) before operators
   * are alerted, and again after each such period while it stays stuck. An activity that keeps
   * failing on something that may pass is retried for ever ({@link SettlementRetries}); without
   * this alert such a run would hold its day, and every later day the schedule buffers, in silence.
   */
  static final Duration STALL_ALERT = Duration.ofHours(1);

  /**
   * The {@code SettlementStatus} of a run stuck for {@link #STALL_ALERT}: operators find them with
   * {@code SettlementStatus = "stalled"}. The run's own status comes back with its next step.
   */
  public static final String STALLED = "stalled";

  /** ApplicationFailure type of an approval or rejection refused by the update's handler. */
  public static final String DECISION_REFUSED = "settlement_rerun_decision_refused";

  private static final Logger log = Workflow.getLogger(DailySettlementWorkflowImpl.class);

  private final int batchSize;

  private final SettlementActivities activities =
      Workflow.newActivityStub(
          SettlementActivities.class,
          ActivityOptions.newBuilder()
              // the claim of a big day is one statement over up to a million items
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setRetryOptions(SettlementRetries.untilDeterministicFailure())
              .build());

  private final RerunActivities reruns =
      Workflow.newActivityStub(
          RerunActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setRetryOptions(
                  SettlementRetries.untilDeterministicFailure(
                      RerunActivities.NOT_RERUNNABLE,
                      RerunActivities.ALREADY_DECIDED,
                      RerunActivities.STALE))
              .build());

  /** A poll: one read per attempt, every 2 s at first, then every 30 s. */
  private final RerunActivities fileDecisions =
      Workflow.newActivityStub(
          RerunActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(2))
                      .setMaximumInterval(Duration.ofSeconds(30))
                      .build())
              .build());

  private final SettlementBatchActivities payouts =
      Workflow.newActivityStub(
          SettlementBatchActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setRetryOptions(SettlementRetries.untilDeterministicFailure())
              .build());

  private SettlementRequest request;
  private boolean awaitingApproval;
  private Approval approval;
  private Approval rejection;
  private long rerunId;
  private boolean checkingApproval;
  private String shownStatus;
  private boolean stallShown;
  private int steps;
  private boolean finished;

  public DailySettlementWorkflowImpl() {
    this(DEFAULT_BATCH_SIZE);
  }

  /** A smaller batch size, for tests that need several batches from a few merchants. */
  public DailySettlementWorkflowImpl(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
    this.batchSize = batchSize;
  }

  @Override
  public String settle(SettlementRequest request) {
    Async.procedure(this::watchForStall);
    try {
      return settleDay(request);
    } finally {
      finished = true;
    }
  }

  private String settleDay(SettlementRequest request) {
    this.request = request;
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.BUSINESS_DATE.valueSet(request.businessDate()),
        PayrailSearchAttributes.CURRENCY.valueSet(request.calendar().currency()),
        PayrailSearchAttributes.RUN_NUMBER.valueSet((long) request.runNumber()));
    if (request.runNumber() > 1) {
      return rerun(request);
    }
    OpenedRun run = activities.openRun(request);
    if (RunStatus.POSTED.equals(run.status())) {
      status(run.runId(), RunStatus.POSTED);
      return RunStatus.POSTED;
    }
    status(run.runId(), RunStatus.COMPUTING);
    activities.claim(run.runId());
    status(run.runId(), RunStatus.POSTING);
    settleBatches(request, run.runId());
    startPayoutFiles(request, run.runId());
    status(run.runId(), RunStatus.POSTED);
    return RunStatus.POSTED;
  }

  /**
   * Run n+1: compute beside run n, wait for a decision, then (approved) void run n's unsent files,
   * apply the difference and pay out again; nothing posts before the approval.
   */
  private String rerun(SettlementRequest request) {
    OpenedRun run = reruns.openRerun(request);
    long runId = run.runId();
    rerunId = runId;
    if (RunStatus.COMPUTING.equals(run.status())) {
      status(runId, RunStatus.COMPUTING);
      reruns.computeRerun(runId);
    } else if (!RunStatus.AWAITING_APPROVAL.equals(run.status())) {
      // an earlier execution of this run decided it: nothing more to do
      searchStatus(run.status());
      return run.status();
    }
    searchStatus(RunStatus.AWAITING_APPROVAL);
    awaitingApproval = true;
    awaitDecision(runId);
    awaitingApproval = false;
    if (rejection != null) {
      reruns.rejectRerun(runId, rejection);
      searchStatus(RunStatus.REJECTED);
      return RunStatus.REJECTED;
    }
    voidUnsentFiles(runId);
    reruns.applyRerun(runId, approval);
    searchStatus(RunStatus.POSTING);
    for (MerchantRange range : activities.plan(runId, batchSize, MAX_BATCHES)) {
      payouts.createPayouts(
          new SettlementBatch(runId, request.calendar().currency(), request.businessDate(), range));
      stepDone();
    }
    startPayoutFiles(request, runId);
    status(runId, RunStatus.POSTED);
    return RunStatus.POSTED;
  }

  private void awaitDecision(long runId) {
    if (!Workflow.await(APPROVAL_DEADLINE, this::decided)) {
      log.warn(
          "settlement.alert: rerun {} ({}) has waited {} for a finance decision: operators, chase"
              + " finance",
          runId,
          Workflow.getInfo().getWorkflowId(),
          APPROVAL_DEADLINE);
      searchStatus(RunStatus.APPROVAL_OVERDUE);
      Workflow.await(this::decided);
    }
  }

  /**
   * Alerts operators every {@link #STALL_ALERT} the run spends without a step done; the wait for a
   * finance decision does not count (it has its own deadline).
   */
  private void watchForStall() {
    while (!finished) {
      int seen = steps;
      boolean moved =
          Workflow.await(STALL_ALERT, () -> finished || awaitingApproval || steps != seen);
      if (awaitingApproval) {
        Workflow.await(() -> finished || !awaitingApproval);
      } else if (!moved) {
        log.error(
            "settlement.alert: run {} has done no step for {} (last status {}): an activity keeps"
                + " failing; read its last failure in the Temporal UI",
            Workflow.getInfo().getWorkflowId(),
            STALL_ALERT,
            shownStatus);
        stallShown = true;
        Workflow.upsertTypedSearchAttributes(
            PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(STALLED));
      }
    }
  }

  /** A step done: the stall watch starts again and a shown stall gives way to the run's status. */
  private void stepDone() {
    if (stallShown) {
      searchStatus(shownStatus);
    } else {
      steps++;
    }
  }

  private boolean decided() {
    return approval != null || rejection != null;
  }

  /** Decided, or an approval being checked: another decision must wait for its outcome. */
  private boolean undecidable() {
    return decided() || checkingApproval;
  }

  /**
   * Asks each of run n's files that may still be stopped to void itself, then waits until each has
   * answered: voided, or approved before the void came (then its payouts are sent and the
   * adjustment is carried into the merchant's next payout).
   */
  private void voidUnsentFiles(long runId) {
    for (String fileWorkflowId : reruns.voidablePayoutFiles(runId)) {
      PayoutFileWorkflow file =
          Workflow.newExternalWorkflowStub(PayoutFileWorkflow.class, fileWorkflowId);
      try {
        file.voidFile("superseded by " + Workflow.getInfo().getWorkflowId());
      } catch (SignalExternalWorkflowException | ApplicationFailure e) {
        // the file's workflow has ended (or never started; the SDK reports it either way): its
        // payouts are voided by applyRerun if still pending
        log.info("payout file workflow {} has ended; not signalled", fileWorkflowId);
      }
    }
    fileDecisions.awaitPayoutFilesDecided(runId);
  }

  @Override
  public void validateApprove(Approval approval) {
    requireAwaitingDecision();
    if (isRequester(approval.approver())) {
      throw new IllegalArgumentException(
          "the finance user who requested the rerun may not approve it");
    }
  }

  @Override
  public String approve(Approval approval) {
    // Two decisions validated at the same moment both pass the validator: the first wins here.
    if (!awaitingApproval || undecidable() || isRequester(approval.approver())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this rerun is not awaiting approval by " + approval.approver(), DECISION_REFUSED);
    }
    // A stale rerun is refused to its approver before anything is voided, from the API and the CLI
    checkingApproval = true;
    try {
      reruns.requireFresh(rerunId);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure reason
          && RerunActivities.STALE.equals(reason.getType())) {
        throw ApplicationFailure.newNonRetryableFailure(
            reason.getOriginalMessage(), RerunActivities.STALE);
      }
      throw e;
    } finally {
      checkingApproval = false;
    }
    this.approval = approval;
    return "approved";
  }

  @Override
  public void validateReject(Approval rejection) {
    requireAwaitingDecision();
  }

  @Override
  public String reject(Approval rejection) {
    if (!awaitingApproval || undecidable()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this rerun is not awaiting approval", DECISION_REFUSED);
    }
    this.rejection = rejection;
    return "rejected";
  }

  private void requireAwaitingDecision() {
    if (!awaitingApproval || undecidable()) {
      throw new IllegalStateException(
          request == null || request.runNumber() == 1
              ? "a scheduled run awaits no approval; only a rerun does"
              : "this rerun is not awaiting approval (computing, or already decided)");
    }
  }

  private boolean isRequester(String approver) {
    return request != null && approver.strip().equalsIgnoreCase(request.requestedBy().strip());
  }

  private void settleBatches(SettlementRequest request, long runId) {
    List<MerchantRange> ranges = activities.plan(runId, batchSize, MAX_BATCHES);
    String runWorkflowId = Workflow.getInfo().getWorkflowId();
    List<Promise<Integer>> open = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      if (open.size() == WINDOW) {
        Promise.anyOf(open).get();
        open.removeIf(Promise::isCompleted);
        stepDone();
      }
      SettlementBatchWorkflow batch =
          Workflow.newChildWorkflowStub(
              SettlementBatchWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(SettlementBatchWorkflow.workflowId(runWorkflowId, i + 1))
                  .build());
      open.add(
          Async.function(
              batch::settleBatch,
              new SettlementBatch(
                  runId, request.calendar().currency(), request.businessDate(), ranges.get(i))));
    }
    // get() rethrows a failed batch: the run fails rather than posting part of a day as done
    for (Promise<Integer> batch : open) {
      batch.get();
      stepDone();
    }
  }

  /**
   * One file per rail, abandoned on close: a file waits days for approval and acknowledgement,
   * which is not the run's business. Started only once the workflow knows it has started.
   */
  private void startPayoutFiles(SettlementRequest request, long runId) {
    for (String rail : activities.railsWithPayouts(runId)) {
      String id =
          PayoutFileWorkflow.workflowId(
              request.calendar().currency(), request.businessDate(), request.runNumber(), rail);
      PayoutFileWorkflow file =
          Workflow.newChildWorkflowStub(
              PayoutFileWorkflow.class,
              ChildWorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                  .build());
      Async.function(
          file::run,
          new PayoutFileInput(
              runId,
              request.calendar().currency(),
              request.businessDate(),
              request.runNumber(),
              rail,
              request.requestedBy()));
      Workflow.getWorkflowExecution(file).get();
    }
  }

  private void status(long runId, String status) {
    searchStatus(status);
    activities.setStatus(runId, status);
  }

  private void searchStatus(String status) {
    shownStatus = status;
    stallShown = false;
    steps++;
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(status));
  }
}
