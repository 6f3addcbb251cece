package io.payrail.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CorrelationIdPropagationTest {

  private static final String QUEUE = "correlation-test";

  @WorkflowInterface
  public interface EchoWorkflow {
    /** Returns the correlation id the workflow saw, after a durable timer and an activity. */
    @WorkflowMethod
    String run();
  }

  @ActivityInterface
  public interface EchoActivities {
    void record();
  }

  public static class EchoWorkflowImpl implements EchoWorkflow {
    private final EchoActivities activities =
        Workflow.newActivityStub(
            EchoActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());

    @Override
    public String run() {
      Workflow.sleep(Duration.ofHours(1));
      activities.record();
      return MDC.get(CorrelationId.MDC_KEY);
    }
  }

  static class RecordingActivities implements EchoActivities {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void record() {
      seen.add(String.valueOf(MDC.get(CorrelationId.MDC_KEY)));
    }
  }

  private TestWorkflowEnvironment env;
  private RecordingActivities activities;

  @BeforeEach
  void startEnvironment() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setContextPropagators(List.of(new CorrelationIdPropagator()))
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
    activities = new RecordingActivities();
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stopEnvironment() {
    MDC.clear();
    env.close();
  }

  @Test
  void correlationId_fromCallerReachesWorkflowAndActivity() {
    MDC.put(CorrelationId.MDC_KEY, "req_abc123");

    String seenByWorkflow = newWorkflow("wf-with-id").run();

    assertThat(seenByWorkflow).isEqualTo("req_abc123");
    assertThat(activities.seen).containsExactly("req_abc123");
  }

  @Test
  void noCorrelationId_propagatesNothing() {
    MDC.remove(CorrelationId.MDC_KEY);

    String seenByWorkflow = newWorkflow("wf-without-id").run();

    assertThat(seenByWorkflow).isNull();
    assertThat(activities.seen).containsExactly("null");
  }

  private EchoWorkflow newWorkflow(String id) {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(
        EchoWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
  }
}
