package io.payrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.localstack.LocalStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settlement benchmark's harness at CI size (20,000 items, 200 merchants) on the real stack:
 * the real workers settle the day through {@code DailySettlementWorkflow}, and every merchant's
 * figures, the totals and the ledger's movement must equal the plain-SQL floor's. Speed is measured
 * by {@code ./payrail bench-settlement}, never asserted here.
 */
class SettlementBenchIT {

  @Test
  void aGeneratedDay_settledByTheWorkers_matchesTheFloor() throws Exception {
    try (LocalStack stack = TestStacks.start("settlement-bench-it", Map.of())) {
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
            new SettlementHarness(database, temporal).run(20_000, 200);
        SettlementReport.write(
            Path.of("target/settlement-bench-results.md"),
            measured,
            Environment.read(database, stack));

        assertThat(measured.mismatchedMerchants()).isZero();
        assertThat(measured.settled().merchants()).isEqualTo(200);
        assertThat(measured.settled().captureCount() + measured.settled().refundCount())
            .isEqualTo(20_000);
        assertThat(measured.settled().captureCount()).isEqualTo(18_000);
        assertThat(measured.settled()).isEqualTo(measured.floor());
        assertThat(measured.ledger()).isEqualTo(measured.floor().withoutCounts());
        assertThat(measured.settled().reserveHeld()).isPositive();
        assertThat(measured.payouts()).isPositive();
        assertThat(measured.activityMillis()).containsKeys("Claim", "Compute", "Post");
      } finally {
        service.shutdown();
      }
    }
  }
}
