package io.payrail.workflows.settlement;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 */
public class DailySettlementWorkflowImpl implements DailySettlementWorkflow {

  /** Children settling at once: bounded so a big day does not take every worker slot. */
  static final int WINDOW = 4;

  static final int DEFAULT_BATCH_SIZE = 500;
  static final int MAX_BATCHES = 1000;

  private final int batchSize;

  private final SettlementActivities activities =
      Workflow.newActivityStub(
          SettlementActivities.class,
          ActivityOptions.newBuilder()
              // the claim of a big day is one statement over up to a million items
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

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
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.BUSINESS_DATE.valueSet(request.businessDate()),
        PayrailSearchAttributes.CURRENCY.valueSet(request.calendar().currency()),
        PayrailSearchAttributes.RUN_NUMBER.valueSet((long) request.runNumber()));
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

  private void settleBatches(SettlementRequest request, long runId) {
    List<MerchantRange> ranges = activities.plan(runId, batchSize, MAX_BATCHES);
    String runWorkflowId = Workflow.getInfo().getWorkflowId();
    List<Promise<Integer>> open = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      if (open.size() == WINDOW) {
        Promise.anyOf(open).get();
        open.removeIf(Promise::isCompleted);
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
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(status));
    activities.setStatus(runId, status);
  }
}
