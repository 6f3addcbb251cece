package io.payrail.workflows.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Retries, refusals and the deadline of one notification, in simulated hours. */
@Timeout(60)
class NotificationWorkflowTest {

  private static final String QUEUE = "notifications-test";

  private TestWorkflowEnvironment env;
  private final Provider provider = new Provider();

  /** A provider that is down until {@code upAt} (test-server time), or refuses everything. */
  class Provider implements NotificationActivities {
    volatile long upAt;
    volatile boolean refuses;
    final List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();

    @Override
    public void send(String notificationId) {
      long now = env.currentTimeMillis();
      attemptTimes.add(now);
      if (refuses) {
        throw ApplicationFailure.newNonRetryableFailure(
            "sms: invalid_number: this number cannot receive messages", REJECTED);
      }
      if (now < upAt) {
        throw new IllegalStateException("smtp: connection refused");
      }
      sent.add(notificationId);
    }

    @Override
    public void fail(String notificationId, String reason) {
      failed.add(notificationId + ": " + reason);
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(NotificationWorkflowImpl.class);
    worker.registerActivitiesImplementations(provider);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void providerDownForHours_thenUp_sendsOnce_withBackoffBetweenAttempts() {
    long start = env.currentTimeMillis();
    provider.upAt = start + Duration.ofHours(3).toMillis();

    assertThat(run("ntf_down3hours", Duration.ofDays(1))).isEqualTo("sent");

    assertThat(provider.sent).containsExactly("ntf_down3hours");
    assertThat(provider.failed).isEmpty();
    List<Long> times = provider.attemptTimes;
    // 10 s doubling to one hour: about ten attempts in three hours, not thousands
    assertThat(times).hasSizeBetween(8, 14);
    // growing pauses (to the millisecond's jitter of the test server), up to an hour apart
    for (int i = 2; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1))
          .isGreaterThanOrEqualTo(times.get(i - 1) - times.get(i - 2) - 1_000);
      assertThat(times.get(i) - times.get(i - 1))
          .isLessThanOrEqualTo(Duration.ofHours(1).plusSeconds(1).toMillis());
    }
    assertThat(times.getLast() - start).isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis());
  }

  @Test
  void providerRefusal_isNotRetried_andRecordsWhy() {
    provider.refuses = true;

    assertThat(run("ntf_refused", Duration.ofDays(1))).isEqualTo("failed");

    assertThat(provider.attemptTimes).hasSize(1);
    assertThat(provider.failed)
        .containsExactly("ntf_refused: sms: invalid_number: this number cannot receive messages");
  }

  @Test
  void providerNeverUp_failsAtTheDeadline() {
    long start = env.currentTimeMillis();
    provider.upAt = Long.MAX_VALUE;

    assertThat(run("ntf_never", Duration.ofHours(6))).isEqualTo("failed");

    assertThat(provider.sent).isEmpty();
    assertThat(provider.failed).containsExactly("ntf_never: gave up: smtp: connection refused");
    // hourly attempts at the end: the last one within the hour before the deadline
    assertThat(provider.attemptTimes.getLast() - start)
        .isBetween(Duration.ofHours(5).toMillis(), Duration.ofHours(6).toMillis());
  }

  private String run(String notificationId, Duration giveUpAfter) {
    NotificationWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                NotificationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(NotificationWorkflow.workflowId(notificationId))
                    .build());
    return workflow.run(new NotificationInput(notificationId, giveUpAfter));
  }
}
