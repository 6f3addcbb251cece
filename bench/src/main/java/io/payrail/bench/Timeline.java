package io.payrail.bench;

import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a workflow's time goes, read from its history: the time between each event and the next,
 * summed by the pair of event types (e.g. how long scheduled activities wait for a worker, how long
 * a completed activity waits for the workflow task that follows it). Summed over histories; {@link
 * #perHistory} averages.
 */
final class Timeline {

  private final Map<String, Long> micros = new LinkedHashMap<>();
  private int histories;

  /** Adds one history's gaps, up to its first durable timer (the idle refund window). */
  void add(History history) {
    List<HistoryEvent> events = history.getEventsList();
    for (int i = 1; i < events.size(); i++) {
      HistoryEvent previous = events.get(i - 1);
      HistoryEvent event = events.get(i);
      if (previous.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED) {
        break;
      }
      long gap = micros(event) - micros(previous);
      micros.merge(name(previous) + " -> " + name(event), gap, Long::sum);
    }
    histories++;
  }

  /** Milliseconds per history for each pair, largest first. */
  Map<String, Double> perHistory() {
    Map<String, Double> average = new LinkedHashMap<>();
    micros.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> average.put(e.getKey(), Math.round(e.getValue() / 100.0 / histories) / 10.0));
    return average;
  }

  private static long micros(HistoryEvent event) {
    return event.getEventTime().getSeconds() * 1_000_000 + event.getEventTime().getNanos() / 1_000;
  }

  private static String name(HistoryEvent event) {
    String type = event.getEventType().name().substring("EVENT_TYPE_".length());
    StringBuilder camel = new StringBuilder();
    for (String word : type.split("_")) {
      camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return camel.toString();
  }
}
