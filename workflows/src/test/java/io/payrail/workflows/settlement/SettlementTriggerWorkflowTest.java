package io.payrail.workflows.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The trigger takes the business date from the nominal time a schedule sets (here set by the test
 * as the server would) and starts a day's run once.
 */
@Timeout(60)
class SettlementTriggerWorkflowTest {

  private static final String QUEUE = "settlement-trigger-test";
  private static final SettlementCalendar USD =
      new SettlementCalendar("USD", "22:00", "America/New_York");

  private TestWorkflowEnvironment env;

  /** A run that records what it was asked to settle. */
  public static class RecordedRun implements DailySettlementWorkflow {
    static final List<SettlementRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public String settle(SettlementRequest request) {
      requests.add(request);
      Workflow.sleep(Duration.ofMinutes(5));
      return RunStatus.POSTED;
    }

    @Override
    public String approve(Approval approval) {
      throw new UnsupportedOperationException("a scheduled run awaits no approval");
    }

    @Override
    public void validateApprove(Approval approval) {
      throw new UnsupportedOperationException("a scheduled run awaits no approval");
    }

    @Override
    public String reject(Approval rejection) {
      throw new UnsupportedOperationException("a scheduled run awaits no approval");
    }

    @Override
    public void validateReject(Approval rejection) {
      throw new UnsupportedOperationException("a scheduled run awaits no approval");
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute(
        SettlementTriggerWorkflowImpl.SCHEDULED_START_TIME.getName(),
        IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    RecordedRun.requests.clear();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        SettlementTriggerWorkflowImpl.class, RecordedRun.class);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theCutOffOfTheNominalTime_namesTheBusinessDate_inTheCalendarsZone() {
    // 22:00 in New York on 2026-11-24 (EST, UTC-5) is 03:00 UTC on the 25th
    String runId = trigger("t1", OffsetDateTime.parse("2026-11-25T03:00:00Z"));

    assertThat(runId).isEqualTo("settlement-USD-2026-11-24-1");
    assertThat(RecordedRun.requests)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.businessDate()).isEqualTo("2026-11-24");
              assertThat(request.runNumber()).isEqualTo(1);
              assertThat(request.requestedBy()).isEqualTo(SettlementRequest.SCHEDULE);
            });
  }

  @Test
  void aTriggerByHand_settlesTheDayStillOpen_beforeOrAfterTheCutOff() {
    // the schedule triggered by hand at 22:18 New York on the 24th: the 24th is closed, the 25th
    // open
    trigger("t1", OffsetDateTime.parse("2026-11-25T03:18:00Z"));
    // at 15:00 New York on the 26th: the 26th is open
    trigger("t2", OffsetDateTime.parse("2026-11-26T20:00:00Z"));

    assertThat(RecordedRun.requests)
        .extracting(SettlementRequest::businessDate)
        .containsExactly("2026-11-25", "2026-11-26");
  }

  @Test
  void aSecondTriggerOfTheSameDay_startsNothing_andNamesTheRun() {
    OffsetDateTime nominal = OffsetDateTime.parse("2026-11-25T03:00:00Z");
    trigger("t1", nominal);

    String second = trigger("t2", nominal);

    assertThat(second).isEqualTo("settlement-USD-2026-11-24-1");
    assertThat(RecordedRun.requests).hasSize(1);
  }

  @Test
  void theNextNominalTime_settlesTheNextDay() {
    trigger("t1", OffsetDateTime.parse("2026-11-25T03:00:00Z"));
    trigger("t2", OffsetDateTime.parse("2026-11-26T03:00:00Z"));

    assertThat(RecordedRun.requests)
        .extracting(SettlementRequest::businessDate)
        .containsExactly("2026-11-24", "2026-11-25");
  }

  @Test
  void aTriggerStartedByHand_failsClearly_andStartsNothing() {
    SettlementTriggerWorkflow trigger =
        env.getWorkflowClient()
            .newWorkflowStub(
                SettlementTriggerWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("settlement-trigger-USD-by-hand")
                    .build());

    assertThatThrownBy(() -> trigger.trigger(USD))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure ->
                assertThat(failure.getType())
                    .isEqualTo(SettlementTriggerWorkflowImpl.NOT_SCHEDULED));
    assertThat(RecordedRun.requests).isEmpty();
  }

  @Test
  void businessDate_isTheFirstDayWhoseCutOffIsAtOrAfterTheNominalTime_acrossDaylightSaving() {
    // EDT (UTC-4) in summer: 22:00 New York is 02:00 UTC the next day
    assertThat(USD.businessDateAt(Instant.parse("2026-07-01T02:00:00Z")))
        .isEqualTo(LocalDate.parse("2026-06-30"));
    // a cut-off at midnight names the day it starts, as the window [cut-off D-1, cut-off D) says
    SettlementCalendar eur = new SettlementCalendar("EUR", "00:00", "Europe/Berlin");
    assertThat(eur.businessDateAt(Instant.parse("2026-11-24T23:00:00Z")))
        .isEqualTo(LocalDate.parse("2026-11-25"));
    assertThat(eur.businessDateAt(Instant.parse("2026-11-24T23:00:00.001Z")))
        .isEqualTo(LocalDate.parse("2026-11-26"));
    assertThat(USD.windowStartOf(LocalDate.parse("2026-11-24")))
        .isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
    assertThat(USD.cutOffOf(LocalDate.parse("2026-11-24")))
        .isEqualTo(Instant.parse("2026-11-25T03:00:00Z"));
    // the day summer time ends in New York (2026-11-01) has 25 hours
    assertThat(
            Duration.between(
                USD.windowStartOf(LocalDate.parse("2026-11-01")),
                USD.cutOffOf(LocalDate.parse("2026-11-01"))))
        .isEqualTo(Duration.ofHours(25));
  }

  private String trigger(String id, OffsetDateTime nominal) {
    SettlementTriggerWorkflow trigger =
        env.getWorkflowClient()
            .newWorkflowStub(
                SettlementTriggerWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(SettlementTriggerWorkflow.workflowIdPrefix("USD") + "-" + id)
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(
                                SettlementTriggerWorkflowImpl.SCHEDULED_START_TIME,
                                nominal.withOffsetSameInstant(ZoneOffset.UTC))
                            .build())
                    .build());
    return trigger.trigger(USD);
  }
}
