package io.payrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The floor runs the steps it is given, answers its updates as a payment does, stays open. */
class FloorWorkflowTest {

  private TestWorkflowEnvironment env;
  private final AtomicInteger steps = new AtomicInteger();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(OrchestrationFloor.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(FloorWorkflow.Impl.class);
    worker.registerActivitiesImplementations(
        (FloorWorkflow.Steps)
            (workflowId, step) -> {
              steps.incrementAndGet();
              return workflowId;
            });
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void manualFloorPayment_runsTheAuthorizationSteps_thenTheCaptureOnItsUpdate() {
    Calls calls = new Calls();
    OrchestrationFloor.runOne(
        env.getWorkflowClient(),
        new FloorWorkflow.Spec(3, 2, true, Duration.ofDays(180)),
        calls,
        System.nanoTime());

    Calls.Interval recorded = calls.interval();
    assertThat(recorded.payments()).isEqualTo(1);
    assertThat(recorded.errors()).isEmpty();
    assertThat(recorded.latencies()).containsOnlyKeys("authorize", "capture");
    assertThat(steps).hasValue(5);
  }

  @Test
  void automaticFloorPayment_answersOnceEveryStepRan_andStaysOpen() {
    Calls calls = new Calls();
    String id =
        OrchestrationFloor.runOne(
            env.getWorkflowClient(),
            new FloorWorkflow.Spec(3, 2, false, Duration.ofDays(180)),
            calls,
            System.nanoTime());

    assertThat(calls.interval().latencies()).containsOnlyKeys("pay");
    assertThat(steps).hasValue(5);
    var history = env.getWorkflowClient().fetchHistory(id).getHistory();
    assertThat(HistoryCost.of(history).activities()).isEqualTo(5);
    assertThat(history.getEventsList().getLast().getEventType())
        .isNotEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }
}
