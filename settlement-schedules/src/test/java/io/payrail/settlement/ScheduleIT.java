package io.payrail.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.Ports;
import io.payrail.devservers.SharedDevServers;
import io.payrail.devservers.TemporalDevServer;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementTriggerWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The settlement schedules against the real Temporal dev server (the Java test server has no
 * Schedules): created once however often the deploy runs, updated when the cut-off changes while a
 * pause stays, and firing the trigger workflow with the calendar and the schedule's nominal time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleIT {

  private static final SearchAttributeKey<OffsetDateTime> SCHEDULED_START =
      SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TemporalDevServer temporal;
  private WorkflowServiceStubs stubs;
  private ScheduleClient client;
  private WorkflowClient workflows;
  private WorkerFactory workers;
  private SettlementSchedules schedules;

  @BeforeAll
  void temporal() throws Exception {
    Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "temporal-");
    Path root = SharedDevServers.repoRoot();
    temporal =
        TemporalDevServer.start(
            home.resolve("data"),
            root.resolve(".payrail").resolve("tools"),
            home.resolve("logs"),
            root.resolve("infra").resolve("temporal"),
            Ports.free(),
            Ports.free());
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
    client =
        ScheduleClient.newInstance(
            stubs, ScheduleClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    workflows =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    workers = WorkerFactory.newInstance(workflows);
    workers
        .newWorker(TaskQueues.SETTLEMENT)
        .registerWorkflowImplementationTypes(RecordingTrigger.class);
    workers.start();
    schedules = new SettlementSchedules(client);
  }

  @AfterAll
  void stop() {
    if (workers != null) {
      workers.shutdownNow();
    }
    if (stubs != null) {
      stubs.shutdownNow();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void applyTwice_leavesOneSchedule_withTheSameSpec() {
    SettlementCalendar usd = new SettlementCalendar("USD", "22:00", "America/New_York");

    SettlementSchedules.Applied first = schedules.apply(usd);
    ScheduleDescription afterFirst = client.getHandle("settlement-USD").describe();
    SettlementSchedules.Applied second = schedules.apply(usd);
    ScheduleDescription afterSecond = client.getHandle("settlement-USD").describe();

    assertThat(first.outcome()).isEqualTo(SettlementSchedules.Outcome.CREATED);
    assertThat(second.outcome()).isEqualTo(SettlementSchedules.Outcome.UPDATED);
    assertThat(
            client
                .listSchedules()
                .map(ScheduleListDescription::getScheduleId)
                .filter(id -> id.equals("settlement-USD")))
        .hasSize(1);
    assertThat(afterSecond.getSchedule().getSpec()).isEqualTo(afterFirst.getSchedule().getSpec());
    assertThat(afterSecond.getSchedule().getSpec().getTimeZoneName()).isEqualTo("America/New_York");
    assertCutOff(afterSecond, 22, 0);
  }

  @Test
  void describe_showsTheDeliberatePolicies() {
    schedules.apply(new SettlementCalendar("EUR", "22:00", "Europe/Berlin"));

    var policy = client.getHandle("settlement-EUR").describe().getSchedule().getPolicy();

    assertThat(policy.getOverlap())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL);
    assertThat(policy.getCatchupWindow()).isEqualTo(Duration.ofDays(3));
    assertThat(policy.isPauseOnFailure()).isTrue();
  }

  @Test
  void changedCutOff_updatesTheSchedule_andAPauseStays_thenATriggerRunsTheWorkflow()
      throws Exception {
    schedules.apply(new SettlementCalendar("JPY", "22:00", "Asia/Tokyo"));
    ScheduleHandle handle = client.getHandle("settlement-JPY");
    handle.pause("a failed run awaits a person");

    SettlementSchedules.Applied changed =
        schedules.apply(new SettlementCalendar("JPY", "21:30", "Asia/Tokyo"));

    assertThat(changed.outcome()).isEqualTo(SettlementSchedules.Outcome.UPDATED);
    ScheduleDescription updated = handle.describe();
    assertCutOff(updated, 21, 30);
    assertThat(updated.getSchedule().getState().isPaused()).isTrue();
    assertThat(updated.getSchedule().getState().getNote())
        .isEqualTo("a failed run awaits a person");

    handle.unpause();
    handle.trigger();
    String workflowId = firstStartedWorkflow(handle);
    String recorded =
        workflows
            .newUntypedWorkflowStub(workflowId)
            .getResult(WAIT.toSeconds(), TimeUnit.SECONDS, String.class);

    assertThat(workflowId).startsWith(SettlementTriggerWorkflow.workflowIdPrefix("JPY"));
    String[] parts = recorded.split("\\|");
    assertThat(parts[0]).isEqualTo(workflowId);
    assertThat(parts[1]).isEqualTo("JPY 21:30 Asia/Tokyo");
    assertThat(parts[2]).as("TemporalScheduledStartTime").isNotEqualTo("absent");
    assertThat(OffsetDateTime.parse(parts[2]).toInstant())
        .isBetween(Instant.now().minus(WAIT), Instant.now());
  }

  @Test
  void deployStep_appliesEveryConfiguredCurrency_andExitsZero() {
    String[] args = {
      "--spring.temporal.connection.target=" + temporal.target(),
      "--spring.temporal.namespace=" + temporal.namespace(),
      "--payrail.settlement.currencies[0].currency=GBP",
      "--payrail.settlement.currencies[0].cut-off=17:00",
      "--payrail.settlement.currencies[0].time-zone=Europe/London",
      "--payrail.settlement.currencies[1].currency=CHF",
      "--payrail.settlement.currencies[1].cut-off=18:15",
      "--payrail.settlement.currencies[1].time-zone=Europe/Zurich"
    };

    int status;
    try (ConfigurableApplicationContext context =
        SpringApplication.run(SettlementSchedulesApplication.class, args)) {
      status = SpringApplication.exit(context);
    }

    assertThat(status).isZero();
    assertCutOff(client.getHandle("settlement-GBP").describe(), 17, 0);
    assertCutOff(client.getHandle("settlement-CHF").describe(), 18, 15);
    assertThat(
            client.getHandle("settlement-CHF").describe().getSchedule().getSpec().getTimeZoneName())
        .isEqualTo("Europe/Zurich");
  }

  private static void assertCutOff(ScheduleDescription description, int hour, int minute) {
    List<ScheduleCalendarSpec> calendars = description.getSchedule().getSpec().getCalendars();
    assertThat(calendars).hasSize(1);
    assertThat(calendars.getFirst().getHour())
        .extracting(ScheduleRange::getStart)
        .containsExactly(hour);
    assertThat(calendars.getFirst().getMinutes())
        .extracting(ScheduleRange::getStart)
        .containsExactly(minute);
  }

  /** The id of the workflow the schedule started, once it has started one. */
  private static String firstStartedWorkflow(ScheduleHandle handle) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      List<ScheduleActionResult> actions = handle.describe().getInfo().getRecentActions();
      if (!actions.isEmpty()) {
        return ((ScheduleActionExecutionStartWorkflow) actions.getFirst().getAction())
            .getWorkflowId();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the schedule started no workflow within " + WAIT);
  }

  /**
   * Stands in for the daily run's trigger: answers what it was given, {@code <workflow id>|<the
   * calendar>|<TemporalScheduledStartTime>}.
   */
  public static class RecordingTrigger implements SettlementTriggerWorkflow {
    @Override
    public String trigger(SettlementCalendar calendar) {
      OffsetDateTime scheduled = Workflow.getTypedSearchAttributes().get(SCHEDULED_START);
      return Workflow.getInfo().getWorkflowId()
          + "|"
          + calendar.currency()
          + " "
          + calendar.cutOff()
          + " "
          + calendar.timeZone()
          + "|"
          + (scheduled == null ? "absent" : scheduled.toString());
    }
  }
}
