package io.payrail.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryCostTest {

  private static HistoryEvent event(EventType type) {
    return HistoryEvent.newBuilder().setEventType(type).build();
  }

  private static HistoryEvent activityStarted(int attempt) {
    return HistoryEvent.newBuilder()
        .setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .setActivityTaskStartedEventAttributes(
            ActivityTaskStartedEventAttributes.newBuilder().setAttempt(attempt))
        .build();
  }

  private static History history(List<HistoryEvent> events) {
    return History.newBuilder().addAllEvents(events).build();
  }

  @Test
  void actions_countTheStart_activitiesAndTheirRetries_updatesTimersAndUpserts_notTheTasks() {
    History history =
        history(
            List.of(
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
                event(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
                event(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
                event(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                activityStarted(3), // two retries
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
                event(EventType.EVENT_TYPE_TIMER_STARTED)));

    HistoryCost cost = HistoryCost.of(history);

    assertThat(cost.events()).isEqualTo(10);
    // start, upsert, update, activity, two retries, timer
    assertThat(cost.actions()).isEqualTo(7);
    assertThat(cost.activities()).isEqualTo(1);
    assertThat(cost.updates()).isEqualTo(1);
  }

  @Test
  void shapeOfAManualPayment_splitsItsActivitiesAtTheAnswersOfItsTwoUpdates() {
    History history =
        history(
            List.of(
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
                event(EventType.EVENT_TYPE_TIMER_STARTED)));

    assertThat(HistoryCost.shapeOfManualPayment(history))
        .isEqualTo(new HistoryCost.PaymentShape(3, 2));
  }

  @Test
  void shapeOfAPaymentNotYetCaptured_isRefused() {
    History history =
        history(
            List.of(
                event(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
                event(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)));

    assertThatThrownBy(() -> HistoryCost.shapeOfManualPayment(history))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
