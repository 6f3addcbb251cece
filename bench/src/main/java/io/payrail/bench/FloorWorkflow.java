package io.payrail.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The orchestration floor: a workflow shaped like a payment's (started by update-with-start,
 * answered when its first steps are done, a second update for a manual capture, open afterwards on
 * a durable timer) whose activities do nothing. What Temporal and its SDK cost, with none of
 * Payrail's work.
 */
@WorkflowInterface
public interface FloorWorkflow {

  /**
   * @param authorizeSteps activities before the answer to the first update (a payment's fraud
   *     check, authorization and record)
   * @param captureSteps activities of the capture (the capture and its record)
   * @param manual whether the capture waits for the {@link #capture} update
   * @param openFor how long the workflow stays open afterwards (a payment's refund window)
   */
  record Spec(int authorizeSteps, int captureSteps, boolean manual, Duration openFor) {}

  @WorkflowMethod
  void run(Spec spec);

  /** Answered once the authorization steps (and, without a manual capture, the capture's) ran. */
  @UpdateMethod
  String authorization();

  @UpdateMethod
  String capture();

  @ActivityInterface
  interface Steps {
    String step(String workflowId, int step);
  }

  /** Does nothing: the floor measures the orchestration around it. */
  final class NoopSteps implements Steps {
    @Override
    public String step(String workflowId, int step) {
      return workflowId;
    }
  }

  final class Impl implements FloorWorkflow {

    private final Steps steps =
        Workflow.newActivityStub(
            Steps.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private boolean authorized;
    private boolean captureAsked;
    private boolean captured;
    private Spec spec;

    @Override
    public void run(Spec spec) {
      this.spec = spec;
      String id = Workflow.getInfo().getWorkflowId();
      for (int i = 0; i < spec.authorizeSteps(); i++) {
        steps.step(id, i);
      }
      authorized = true;
      if (spec.manual()) {
        Workflow.await(() -> captureAsked);
      }
      for (int i = 0; i < spec.captureSteps(); i++) {
        steps.step(id, spec.authorizeSteps() + i);
      }
      captured = true;
      Workflow.await(spec.openFor(), () -> false);
    }

    @Override
    public String authorization() {
      Workflow.await(() -> spec != null && (spec.manual() ? authorized : captured));
      return spec.manual() ? "requires_capture" : "succeeded";
    }

    @Override
    public String capture() {
      captureAsked = true;
      Workflow.await(() -> captured);
      return "succeeded";
    }
  }
}
