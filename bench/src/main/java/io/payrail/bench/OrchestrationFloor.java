package io.payrail.bench;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * Runs {@link FloorWorkflow}s on the same Temporal server as Payrail, with a worker in this process
 * (SDK defaults, as the workers application's), on a task queue of their own.
 */
final class OrchestrationFloor implements AutoCloseable {

  static final String TASK_QUEUE = "bench-floor";

  private static final int SAMPLED = 40;

  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final java.util.Queue<String> sampled =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  OrchestrationFloor(WorkflowClient client) {
    this.client = client;
    this.factory = WorkerFactory.newInstance(client);
    var worker = factory.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(FloorWorkflow.Impl.class);
    worker.registerActivitiesImplementations(new FloorWorkflow.NoopSteps());
    factory.start();
  }

  /** Floor payments, one after the other, as a load's flow. */
  Load.Flow flow(FloorWorkflow.Spec spec) {
    return (calls, start) -> {
      String id = runOne(client, spec, calls, start);
      if (!spec.manual() && sampled.size() < SAMPLED) {
        sampled.add(id);
      }
    };
  }

  /** Some of the automatic floor payments' workflow ids, for their timelines. */
  java.util.List<String> sampledAutomatic() {
    return java.util.List.copyOf(sampled);
  }

  /**
   * One floor "payment", as the API makes one: update-with-start, then a capture update; returns
   * its workflow id.
   */
  static String runOne(WorkflowClient client, FloorWorkflow.Spec spec, Calls calls, long start) {
    String id = "floor-" + UUID.randomUUID();
    FloorWorkflow workflow =
        client.newWorkflowStub(
            FloorWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TASK_QUEUE)
                // as the API starts a payment (its search attributes aside)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    String status =
        calls.time(
            spec.manual() ? "authorize" : "pay",
            start,
            () ->
                WorkflowClient.startUpdateWithStart(
                        workflow::authorization,
                        UpdateOptions.<String>newBuilder()
                            .setUpdateId("authorization")
                            .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                            .build(),
                        new WithStartWorkflowOperation<>(workflow::run, spec))
                    .getResult());
    if (status == null) {
      return id;
    }
    if (spec.manual() && calls.time("capture", System.nanoTime(), workflow::capture) == null) {
      return id;
    }
    calls.paymentDone();
    return id;
  }

  static FloorWorkflow.Spec spec(HistoryCost.PaymentShape shape, boolean manual) {
    return new FloorWorkflow.Spec(
        shape.authorizeSteps(), shape.captureSteps(), manual, Duration.ofDays(180));
  }

  @Override
  public void close() {
    factory.shutdown();
  }
}
