package io.payrail.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/** Drives a {@link Flow} (one payment's calls) closed-loop with N clients, or paced at a rate. */
final class Load {

  /** One payment's calls, timing each through {@link Calls#time}. */
  @FunctionalInterface
  interface Flow {
    /**
     * @param firstCallStart when the first call is meant to start ({@link System#nanoTime}): for a
     *     paced load, its slot, so that a late start counts in its latency
     */
    void run(Calls calls, long firstCallStart) throws InterruptedException;
  }

  /** What one load measured over its measuring window, after the warm-up. */
  /**
   * @param cpuCores the cores each part of the stack used during the window ({@link ProcessCpu})
   */
  record Measured(
      Duration window, Calls.Interval calls, Calls all, java.util.Map<String, Double> cpuCores) {

    double paymentsPerSecond() {
      return calls.payments() / (window.toNanos() / 1e9);
    }
  }

  private static final Duration DRAIN = Duration.ofSeconds(90);

  private Load() {}

  /**
   * {@code clients} clients, each starting its next payment as soon as the last one is done: the
   * throughput the system gives at that concurrency.
   */
  static Measured closedLoop(int clients, Duration warmUp, Duration window, Flow flow)
      throws InterruptedException {
    Calls calls = new Calls();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(
          Thread.ofVirtual()
              .name("client-" + i)
              .start(
                  () -> {
                    while (!stop.get() && !Thread.currentThread().isInterrupted()) {
                      try {
                        flow.run(calls, System.nanoTime());
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }));
    }
    return measure(calls, warmUp, window, stop, threads);
  }

  /**
   * Payments started at a fixed rate whatever the answers' pace (an open loop), each one's latency
   * counted from its slot: no coordinated omission. At most {@code maxInFlight} at once; a slot
   * that finds them all busy waits, and that wait is counted.
   */
  static Measured paced(
      double perSecond, int maxInFlight, Duration warmUp, Duration window, Flow flow)
      throws InterruptedException {
    Calls calls = new Calls();
    AtomicBoolean stop = new AtomicBoolean();
    Semaphore inFlight = new Semaphore(maxInFlight);
    List<Thread> threads = new ArrayList<>();
    long period = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    Thread pacer =
        Thread.ofPlatform()
            .name("pacer")
            .start(
                () -> {
                  long slot = System.nanoTime();
                  while (!stop.get()) {
                    long wait = slot - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                      continue;
                    }
                    try {
                      inFlight.acquire();
                    } catch (InterruptedException e) {
                      return;
                    }
                    long start = slot;
                    Thread.ofVirtual()
                        .start(
                            () -> {
                              try {
                                flow.run(calls, start);
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                              } finally {
                                inFlight.release();
                              }
                            });
                    slot += period;
                  }
                });
    threads.add(pacer);
    Measured measured = measure(calls, warmUp, window, stop, threads);
    // The pacer is gone: wait for the payments it started.
    if (!inFlight.tryAcquire(maxInFlight, DRAIN.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("paced payments still running after " + DRAIN);
    }
    return measured;
  }

  private static Measured measure(
      Calls calls, Duration warmUp, Duration window, AtomicBoolean stop, List<Thread> threads)
      throws InterruptedException {
    try {
      Thread.sleep(warmUp);
      calls.interval(); // the warm-up's recordings, thrown away
      var cpuBefore = ProcessCpu.read();
      long start = System.nanoTime();
      Thread.sleep(window);
      Calls.Interval measured = calls.interval();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      var cpu = ProcessCpu.cores(cpuBefore, ProcessCpu.read(), elapsed);
      return new Measured(elapsed, measured, calls, cpu);
    } finally {
      stop.set(true);
      long deadline = System.nanoTime() + DRAIN.toNanos();
      for (Thread thread : threads) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
          thread.interrupt();
        }
      }
    }
  }
}
