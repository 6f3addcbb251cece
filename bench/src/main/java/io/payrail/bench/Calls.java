package io.payrail.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latency of every call of one load, per operation, in HdrHistogram {@link Recorder}s (many
 * writers, one reader), and the payments that went through. {@link #interval} hands over what was
 * recorded since the last call, so a warm-up is simply thrown away.
 */
final class Calls {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Calls.class);

  /** Up to ten minutes, three significant digits. */
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Map<String, Recorder> latencies = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder payments = new LongAdder();
  private final LongAdder allPayments = new LongAdder();
  private final Map<String, Boolean> told = new ConcurrentHashMap<>();

  /** A call to time: what the load generator runs, returning whether it succeeded. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code call} and records its latency under {@code operation}, counted from {@code
   * startNanos} (the intended start of a paced request, so waiting for a turn is counted too, or
   * simply now). A failure or a non-2xx answer counts as an error of that operation and returns
   * null.
   */
  <T> T time(String operation, long startNanos, Call<T> call) {
    T result;
    try {
      result = call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = null;
    } catch (Exception e) {
      // Each operation's first failure is told, so that an all-errors run says why.
      if (told.putIfAbsent(operation, Boolean.TRUE) == null) {
        log.warn("{} failed: {}", operation, e.toString());
      }
      result = null;
    }
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
    latencies
        .computeIfAbsent(operation, name -> new Recorder(HIGHEST_MICROS, 3))
        .recordValue(Math.min(Math.max(micros, 1), HIGHEST_MICROS));
    if (result == null || (result instanceof PayrailApi.Answer answer && !answer.ok())) {
      errors.computeIfAbsent(operation, name -> new LongAdder()).increment();
      return null;
    }
    return result;
  }

  void paymentDone() {
    payments.increment();
    allPayments.increment();
  }

  /** Every payment that went through, warm-up and draining included. */
  long allPayments() {
    return allPayments.sum();
  }

  /** What was recorded since the previous interval (or the start), then starts a new one. */
  Interval interval() {
    Map<String, Histogram> histograms = new java.util.TreeMap<>();
    latencies.forEach(
        (operation, recorder) -> histograms.put(operation, recorder.getIntervalHistogram()));
    Map<String, Long> errorCounts = new java.util.TreeMap<>();
    errors.forEach((operation, count) -> errorCounts.put(operation, count.sumThenReset()));
    return new Interval(histograms, errorCounts, payments.sumThenReset());
  }

  /** One interval's recordings. */
  record Interval(Map<String, Histogram> latencies, Map<String, Long> errors, long payments) {}
}
