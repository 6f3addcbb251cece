package io.payrail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time by part of the stack, read from Linux's {@code /proc/<pid>/stat} (user + system time of
 * every process, classed by its command line): which process a load's CPU went to. Empty where
 * there is no {@code /proc}.
 */
final class ProcessCpu {

  /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux build this runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** CPU seconds used so far, by part. */
  static Map<String, Double> read() {
    Map<String, Double> seconds = new TreeMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                try {
                  String stat = Files.readString(p.resolve("stat"));
                  String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                  double cpu =
                      (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                  String args =
                      new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                          .replace('\0', ' ');
                  seconds.merge(part(args), cpu, Double::sum);
                } catch (IOException | RuntimeException e) {
                  // the process ended while being read
                }
              });
    } catch (IOException e) {
      return Map.of();
    }
    return seconds;
  }

  /** Cores used between two readings {@code elapsed} apart, by part. */
  static Map<String, Double> cores(
      Map<String, Double> before, Map<String, Double> after, Duration elapsed) {
    Map<String, Double> cores = new TreeMap<>();
    double seconds = elapsed.toNanos() / 1e9;
    after.forEach(
        (part, cpu) -> {
          double used = (cpu - before.getOrDefault(part, 0.0)) / seconds;
          cores.put(part, Math.round(used * 100) / 100.0);
        });
    return cores;
  }

  static String part(String commandLine) {
    if (commandLine.contains("io.payrail.bench.Bench")) {
      return "bench";
    } else if (commandLine.contains("payrail-api")) {
      return "api";
    } else if (commandLine.contains("payrail-workers")) {
      return "workers";
    } else if (commandLine.contains("kafka.Kafka")) {
      return "kafka";
    } else if (commandLine.contains("start-dev")) {
      return "temporal";
    } else if (commandLine.startsWith("postgres") || commandLine.contains("/bin/postgres ")) {
      return "postgres";
    } else if (commandLine.contains("redis")) {
      return "redis";
    }
    return "other";
  }
}
