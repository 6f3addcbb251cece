package io.payrail.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One load's figures.
 *
 * @param system what ran: {@code payrail}, {@code orchestration-floor} or {@code storage-floor}
 * @param scenario {@code automatic} (one call) or {@code manual} (authorize, then capture)
 * @param bankLatencyMs the bank simulator's added latency
 * @param clients the closed loop's clients, or 0 for a paced load
 * @param targetPerSecond a paced load's rate, or 0
 * @param paymentsPerSecond payments through in the measuring window, per second
 * @param calls per operation: its latency percentiles and errors
 * @param cost the servers' counters over the whole load, warm-up included
 * @param allPayments payments through over the whole load, warm-up included
 * @param cpuCores cores used during the measuring window, by part of the stack
 */
record Result(
    String system,
    String scenario,
    long bankLatencyMs,
    int clients,
    double targetPerSecond,
    double paymentsPerSecond,
    Map<String, Latency> calls,
    ServerCounters.Reading cost,
    long allPayments,
    Map<String, Double> cpuCores) {

  /** Milliseconds, from HdrHistogram's microseconds. */
  record Latency(long count, long errors, double p50, double p95, double p99, double max) {

    static Latency of(Histogram histogram, long errors) {
      return new Latency(
          histogram.getTotalCount(),
          errors,
          millis(histogram.getValueAtPercentile(50)),
          millis(histogram.getValueAtPercentile(95)),
          millis(histogram.getValueAtPercentile(99)),
          millis(histogram.getMaxValue()));
    }

    private static double millis(long micros) {
      return Math.round(micros / 100.0) / 10.0;
    }
  }

  static Result of(
      String system,
      String scenario,
      long bankLatencyMs,
      int clients,
      double targetPerSecond,
      Load.Measured measured,
      ServerCounters.Reading cost) {
    Map<String, Latency> calls = new LinkedHashMap<>();
    measured
        .calls()
        .latencies()
        .forEach(
            (operation, histogram) ->
                calls.put(
                    operation,
                    Latency.of(histogram, measured.calls().errors().getOrDefault(operation, 0L))));
    return new Result(
        system,
        scenario,
        bankLatencyMs,
        clients,
        targetPerSecond,
        Math.round(measured.paymentsPerSecond() * 10) / 10.0,
        calls,
        cost,
        measured.all().allPayments(),
        measured.cpuCores());
  }

  long errors() {
    return calls.values().stream().mapToLong(Latency::errors).sum();
  }

  /** A counter's growth per payment, over the whole load. */
  double perPayment(long total) {
    return allPayments == 0 ? 0 : Math.round(total * 10.0 / allPayments) / 10.0;
  }
}
