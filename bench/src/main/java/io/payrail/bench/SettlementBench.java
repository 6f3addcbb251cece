package io.payrail.bench;

import io.payrail.devservers.DevServersSettings;
import io.payrail.localstack.LocalStack;
import io.payrail.localstack.LocalStackSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./payrail bench-settlement [--items N] [--merchants M] [--out FILE]}: starts the local
 * stack on free ports (the real workers application, Temporal dev server, embedded PostgreSQL),
 * settles a generated business day of {@code N} captures and refunds (default 1,000,000) across
 * {@code M} merchants (default 10,000) with the real {@code DailySettlementWorkflow}, measures the
 * plain-SQL floor on the same data, and writes the comparison to {@code
 * docs/benchmarks/settlement-results.md} (docs/benchmarks/settlement.md explains it).
 */
public final class SettlementBench {

  private static final Logger log = LoggerFactory.getLogger(SettlementBench.class);

  private SettlementBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("payrail.repo.root", ".")).toAbsolutePath().normalize();
    long items = 1_000_000;
    int merchants = 10_000;
    Path out = root.resolve("docs/benchmarks/settlement-results.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Long.parseLong(value(args, ++i));
        case "--merchants" -> merchants = Integer.parseInt(value(args, ++i));
        case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; known: --items 1000000, --merchants 10000,"
                    + " --out docs/benchmarks/settlement-results.md");
      }
    }
    Path home =
        Files.createTempDirectory(
            Files.createDirectories(root.resolve("bench/target")), "settlement-bench-");
    log.info("Starting the local stack in {}", home);
    boolean match;
    try (LocalStack stack =
        LocalStack.start(
            new LocalStackSettings(
                DevServersSettings.onFreePorts(home, root),
                Path.of(System.getProperty("payrail.api.jar")),
                Path.of(System.getProperty("payrail.workers.jar")),
                0,
                0,
                Map.of()))) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(stack.servers().temporal().target())
                  .build());
      try {
        WorkflowClient temporal =
            WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                    .setNamespace(stack.servers().temporal().namespace())
                    .build());
        var database = stack.servers().postgres().superuserDataSource();
        SettlementHarness.Measurement measured =
            new SettlementHarness(database, temporal).run(items, merchants);
        SettlementReport.write(out, measured, Environment.read(database, stack));
        log.info(
            "Settlement {} ms, floor {} ms, ratio {}, totals match: {}; written to {}",
            measured.settleMillis(),
            measured.floorMillis(),
            "%.1f".formatted(measured.ratio()),
            measured.totalsMatch(),
            out);
        match = measured.totalsMatch();
      } finally {
        service.shutdown();
      }
    }
    // Temporal's and Kafka's client threads are not daemons; totals that differ fail the command.
    System.exit(match ? 0 : 1);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
