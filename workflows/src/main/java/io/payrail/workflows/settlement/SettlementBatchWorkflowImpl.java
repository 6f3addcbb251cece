package io.payrail.workflows.settlement;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Compute, post, pay out: three activities, each one transaction, so a worker lost between two of
 * them resumes at the next and nothing is posted twice (the keys of {@link
 * SettlementBatchActivities}). Its history holds about twenty events whatever the batch's size.
 */
public class SettlementBatchWorkflowImpl implements SettlementBatchWorkflow {

  private final SettlementBatchActivities activities =
      Workflow.newActivityStub(
          SettlementBatchActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setRetryOptions(SettlementRetries.untilDeterministicFailure())
              .build());

  @Override
  public int settleBatch(SettlementBatch batch) {
    activities.compute(batch);
    activities.post(batch);
    return activities.createPayouts(batch);
  }
}
