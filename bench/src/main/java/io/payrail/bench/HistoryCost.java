package io.payrail.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;

/**
 * What one workflow cost Temporal, read from its history: its events, and its actions as Temporal
 * Cloud bills them (a start, each activity scheduled and each retry of one, timers, signals,
 * updates, search attribute upserts, child workflows, markers such as local activities).
 */
record HistoryCost(int events, int actions, int activities, int updates) {

  static HistoryCost of(History history) {
    int actions = 0;
    int activities = 0;
    int updates = 0;
    for (HistoryEvent event : history.getEventsList()) {
      EventType type = event.getEventType();
      switch (type) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            EVENT_TYPE_TIMER_STARTED,
            EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
            EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
            EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
            EVENT_TYPE_MARKER_RECORDED ->
            actions++;
        case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
          actions++;
          updates++;
        }
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          actions++;
          activities++;
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            actions += Math.max(0, event.getActivityTaskStartedEventAttributes().getAttempt() - 1);
        default -> {}
      }
    }
    return new HistoryCost(history.getEventsCount(), actions, activities, updates);
  }

  /**
   * The steps of a manual-capture payment: the activities before its first update's answer (the
   * authorization), and those between that and the second update's answer (the capture).
   */
  static PaymentShape shapeOfManualPayment(History history) {
    int before = 0;
    int between = 0;
    int updatesCompleted = 0;
    for (HistoryEvent event : history.getEventsList()) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
        updatesCompleted++;
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        if (updatesCompleted == 0) {
          before++;
        } else if (updatesCompleted == 1) {
          between++;
        }
      }
    }
    if (updatesCompleted < 2) {
      throw new IllegalArgumentException(
          "not an authorized and captured manual payment: " + updatesCompleted + " updates");
    }
    return new PaymentShape(before, between);
  }

  /** The activities of a payment, before the authorization's answer and for its capture. */
  record PaymentShape(int authorizeSteps, int captureSteps) {}
}
