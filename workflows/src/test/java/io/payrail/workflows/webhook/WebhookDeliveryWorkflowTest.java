package io.payrail.workflows.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry schedule of one webhook delivery, in simulated days. */
@Timeout(60)
class WebhookDeliveryWorkflowTest {

  private static final String QUEUE = "webhooks-test";

  private TestWorkflowEnvironment env;
  private final Receiver receiver = new Receiver();

  /** An endpoint that is down until {@code upAt} (test-server time), then answers 200. */
  class Receiver implements WebhookActivities {
    volatile long upAt = Long.MAX_VALUE;
    volatile boolean gone;
    final List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    final List<String> finished = new CopyOnWriteArrayList<>();

    @Override
    public AttemptResult attempt(String deliveryId, int attempt) {
      long now = env.currentTimeMillis();
      attemptTimes.add(now);
      if (gone) {
        return new AttemptResult(AttemptResult.Outcome.ENDPOINT_GONE, 0);
      }
      return now >= upAt
          ? new AttemptResult(AttemptResult.Outcome.DELIVERED, 200)
          : new AttemptResult(AttemptResult.Outcome.FAILED, 503);
    }

    @Override
    public void finish(String deliveryId, String status) {
      finished.add(status);
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(WebhookDeliveryWorkflowImpl.class);
    worker.registerActivitiesImplementations(receiver);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void receiverDownForThreeDays_thenUp_stillReceivesTheEvent() {
    long start = env.currentTimeMillis();
    receiver.upAt = start + Duration.ofDays(3).minusMinutes(1).toMillis();

    String result = deliver("whd_down3days");

    assertThat(result).isEqualTo("delivered");
    assertThat(receiver.finished).containsExactly("delivered");
    long last = receiver.attemptTimes.getLast() - start;
    assertThat(Duration.ofMillis(last))
        .isBetween(Duration.ofDays(3).minusMinutes(1), Duration.ofDays(3).plusMinutes(1));
  }

  @Test
  void receiverNeverUp_failsAfterThreeDays_withBackoffBetweenAttempts() {
    long start = env.currentTimeMillis();

    String result = deliver("whd_neverup");

    assertThat(result).isEqualTo("failed");
    List<Long> times = receiver.attemptTimes;
    assertThat(Duration.ofMillis(times.getLast() - start))
        .isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(1));
    // 1 min, then doubling up to 6 h, each within 20 % jitter: about twenty attempts, not hundreds.
    assertThat(times.size()).isBetween(15, 25);
    long firstPause = times.get(1) - times.get(0);
    assertThat(firstPause).isBetween(48_000L, 72_000L);
    for (int i = 2; i < times.size() - 1; i++) {
      assertThat(times.get(i) - times.get(i - 1))
          .as("pause %d", i)
          .isLessThanOrEqualTo(Duration.ofHours(6).toMillis() * 12 / 10);
    }
  }

  @Test
  void endpointDeleted_stopsTheDelivery() {
    receiver.gone = true;

    assertThat(deliver("whd_gone")).isEqualTo("canceled");
    assertThat(receiver.attemptTimes).hasSize(1);
  }

  @Test
  void schedule_doublesFromTheFirstRetryUpToTheMaximum() {
    DeliverySchedule schedule = DeliverySchedule.standard();

    assertThat(schedule.pauseAfter(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(schedule.pauseAfter(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(schedule.pauseAfter(9)).isEqualTo(Duration.ofMinutes(256));
    assertThat(schedule.pauseAfter(10)).isEqualTo(Duration.ofHours(6));
    assertThat(schedule.pauseAfter(40)).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void jitter_spreadsDeliveriesWithinTheFraction_andIsTheSameOnReplay() {
    Duration pause = Duration.ofMinutes(10);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      Duration jittered = WebhookDeliveryWorkflowImpl.jittered(pause, 0.2, "whd_" + i, 3);
      assertThat(jittered).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(12));
      assertThat(WebhookDeliveryWorkflowImpl.jittered(pause, 0.2, "whd_" + i, 3))
          .isEqualTo(jittered);
      seen.add(jittered.toMillis());
    }
    assertThat(seen).hasSizeGreaterThan(40);
  }

  private String deliver(String deliveryId) {
    WebhookDeliveryWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                WebhookDeliveryWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WebhookDeliveryWorkflow.workflowId(deliveryId))
                    .setTaskQueue(QUEUE)
                    .build());
    return workflow.run(
        new DeliveryInput(deliveryId, "evt_1", "we_1", "mer_1", DeliverySchedule.standard()));
  }
}
