package io.payrail.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What to run. {@code ./payrail bench} with no arguments runs the whole documented matrix; {@code
 * --quick} a short one to try the harness.
 *
 * @param clients the closed-loop concurrencies
 * @param bankLatencies the bank simulator's added latency for each pass, in milliseconds
 * @param stackWarmUp payments made and thrown away once, before the first load
 * @param warmUp thrown away before each measuring window
 * @param window each load's measuring window
 * @param out where the results, the raw figures and the charts go
 */
record BenchOptions(
    List<Integer> clients,
    List<Long> bankLatencies,
    Duration stackWarmUp,
    Duration warmUp,
    Duration window,
    Path out) {

  static BenchOptions parse(String[] args, Path repoRoot) {
    List<Integer> clients = List.of(1, 8, 32, 128);
    List<Long> latencies = List.of(0L, 20L);
    Duration stackWarmUp = Duration.ofSeconds(60);
    Duration warmUp = Duration.ofSeconds(5);
    Duration window = Duration.ofSeconds(20);
    Path out = repoRoot.resolve("docs/benchmarks");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> {
          clients = List.of(1, 8);
          latencies = List.of(0L);
          stackWarmUp = Duration.ofSeconds(10);
          warmUp = Duration.ofSeconds(2);
          window = Duration.ofSeconds(5);
          out = repoRoot.resolve("bench/target/quick");
        }
        case "--clients" ->
            clients =
                Arrays.stream(value(args, ++i, arg).split(",")).map(Integer::valueOf).toList();
        case "--bank-latencies" ->
            latencies = Arrays.stream(value(args, ++i, arg).split(",")).map(Long::valueOf).toList();
        case "--warm-up" -> warmUp = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
        case "--seconds" -> window = Duration.ofSeconds(Long.parseLong(value(args, ++i, arg)));
        case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + arg
                    + "; known: --quick, --clients 1,8,32,128, --bank-latencies 0,20,"
                    + " --warm-up 5, --seconds 20, --out docs/benchmarks");
      }
    }
    return new BenchOptions(clients, latencies, stackWarmUp, warmUp, window, out);
  }

  private static String value(String[] args, int index, String name) {
    if (index >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[index];
  }
}
