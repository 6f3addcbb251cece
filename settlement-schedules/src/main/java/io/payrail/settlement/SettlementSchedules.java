package io.payrail.settlement;

import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.SettlementCalendar;
import io.payrail.workflows.settlement.SettlementTriggerWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Temporal Schedule per settlement currency, {@code settlement-<currency>}, firing {@link
 * SettlementTriggerWorkflow} at the currency's cut-off in its time zone. {@link #apply} is what a
 * deploy runs, as often as it likes: it creates a missing schedule and brings an existing one to
 * the configured spec, action and policies (a changed cut-off deploys), keeping its state, so a
 * schedule paused after a failed run stays paused until a person unpauses it.
 *
 * <p>The policies, and why (docs/settlement.md, "Schedules"):
 *
 * <ul>
 *   <li>Overlap {@code BUFFER_ALL}: a day's trigger never runs beside the previous day's, and is
 *       never dropped. Days settle one after the other, in order; {@code SKIP} would lose a day
 *       whenever the previous one is still running (e.g. waiting for a payout approval), and {@code
 *       BUFFER_ONE} would drop the third of three days caught up after an outage.
 *   <li>Catch-up window 3 days: a cluster down over a weekend still fires Friday's, Saturday's and
 *       Sunday's triggers when it is back, once each (buffered, in order); an outage longer than
 *       that is a backfill a person decides on.
 *   <li>Pause on failure: a failed trigger pauses the schedule, so that the next days do not pile
 *       onto a broken state; finance or operators fix it, then unpause (the missed days fire within
 *       the catch-up window, or are backfilled).
 * </ul>
 */
public final class SettlementSchedules {

  static final ScheduleOverlapPolicy OVERLAP =
      ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;
  static final Duration CATCH_UP_WINDOW = Duration.ofDays(3);
  static final boolean PAUSE_ON_FAILURE = true;

  private static final Logger log = LoggerFactory.getLogger(SettlementSchedules.class);

  private final ScheduleClient schedules;

  public SettlementSchedules(ScheduleClient schedules) {
    this.schedules = schedules;
  }

  /** What {@link #apply} did to one currency's schedule. */
  public enum Outcome {
    CREATED,
    UPDATED
  }

  /** One currency's outcome. */
  public record Applied(String scheduleId, Outcome outcome) {}

  /** The schedule of a currency: {@code settlement-USD}. */
  public static String scheduleId(String currency) {
    return "settlement-" + currency;
  }

  /** Creates or updates every currency's schedule, in order; the first failure stops it. */
  public List<Applied> apply(List<SettlementCalendar> calendars) {
    List<Applied> applied = new ArrayList<>();
    for (SettlementCalendar calendar : calendars) {
      applied.add(apply(calendar));
    }
    return applied;
  }

  /** Creates the currency's schedule, or brings the existing one to the desired definition. */
  public Applied apply(SettlementCalendar calendar) {
    String id = scheduleId(calendar.currency());
    Schedule desired = desired(calendar);
    try {
      schedules.createSchedule(id, desired, ScheduleOptions.newBuilder().build());
      log.info("created schedule {}: {} {} daily", id, calendar.cutOff(), calendar.timeZone());
      return new Applied(id, Outcome.CREATED);
    } catch (ScheduleAlreadyRunningException exists) {
      schedules
          .getHandle(id)
          .update(
              current ->
                  new ScheduleUpdate(
                      Schedule.newBuilder(desired)
                          .setState(current.getDescription().getSchedule().getState())
                          .build()));
      log.info("updated schedule {}: {} {} daily", id, calendar.cutOff(), calendar.timeZone());
      return new Applied(id, Outcome.UPDATED);
    }
  }

  /** The whole definition of a currency's schedule, but its state (paused, notes). */
  static Schedule desired(SettlementCalendar calendar) {
    LocalTime cutOff = calendar.cutOffTime();
    ScheduleSpec spec =
        ScheduleSpec.newBuilder()
            .setCalendars(
                List.of(
                    ScheduleCalendarSpec.newBuilder()
                        .setSeconds(List.of(new ScheduleRange(0)))
                        .setMinutes(List.of(new ScheduleRange(cutOff.getMinute())))
                        .setHour(List.of(new ScheduleRange(cutOff.getHour())))
                        .setDayOfMonth(List.of(new ScheduleRange(1, 31)))
                        .setMonth(List.of(new ScheduleRange(1, 12)))
                        .setDayOfWeek(List.of(new ScheduleRange(0, 6)))
                        .setComment(calendar.currency() + " settlement cut-off")
                        .build()))
            .setTimeZoneName(calendar.timeZone())
            .build();
    ScheduleActionStartWorkflow action =
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(SettlementTriggerWorkflow.class)
            .setArguments(calendar)
            .setOptions(
                // No execution timeout: the trigger may wait for the day's run it starts as a
                // child, and a timeout would end it and, with it, that run.
                WorkflowOptions.newBuilder()
                    .setWorkflowId(SettlementTriggerWorkflow.workflowIdPrefix(calendar.currency()))
                    .setTaskQueue(TaskQueues.SETTLEMENT)
                    .build())
            .build();
    SchedulePolicy policy =
        SchedulePolicy.newBuilder()
            .setOverlap(OVERLAP)
            .setCatchupWindow(CATCH_UP_WINDOW)
            .setPauseOnFailure(PAUSE_ON_FAILURE)
            .build();
    return Schedule.newBuilder().setSpec(spec).setAction(action).setPolicy(policy).build();
  }
}
