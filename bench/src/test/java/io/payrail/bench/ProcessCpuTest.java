package io.payrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void commandLines_areClassedByThePartOfTheStackTheyRun() {
    assertThat(
            ProcessCpu.part(
                "java -cp x -Dpayrail.api.jar=/a/payrail-api.jar io.payrail.bench.Bench"))
        .isEqualTo("bench");
    assertThat(ProcessCpu.part("java -Xmx512m -jar /w/api/target/payrail-api-0.1.0-exec.jar"))
        .isEqualTo("api");
    assertThat(ProcessCpu.part("java -jar /w/payrail-workers-0.1.0-exec.jar --server.port=1"))
        .isEqualTo("workers");
    assertThat(ProcessCpu.part("java -Xmx512m kafka.Kafka /d/server.properties"))
        .isEqualTo("kafka");
    assertThat(ProcessCpu.part("/t/bin/temporal server start-dev --ip 127.0.0.1"))
        .isEqualTo("temporal");
    assertThat(ProcessCpu.part("postgres: payrail payrail 127.0.0.1(36748) idle"))
        .isEqualTo("postgres");
    assertThat(ProcessCpu.part("/t/postgres/PG-1/bin/postgres -D /d")).isEqualTo("postgres");
    assertThat(ProcessCpu.part("bash")).isEqualTo("other");
  }

  @Test
  void cores_areCpuSecondsUsedPerSecondOfTheWindow() {
    Map<String, Double> cores =
        ProcessCpu.cores(
            Map.of("temporal", 10.0, "api", 2.0),
            Map.of("temporal", 25.0, "api", 5.0, "workers", 1.0),
            Duration.ofSeconds(10));

    assertThat(cores)
        .containsEntry("temporal", 1.5)
        .containsEntry("api", 0.3)
        .containsEntry("workers", 0.1);
  }

  @Test
  void onLinux_theReadingIncludesThisProcess() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self")));
    Map<String, Double> seconds = ProcessCpu.read();
    assertThat(seconds.values().stream().mapToDouble(Double::doubleValue).sum()).isPositive();
  }
}
