package io.payrail.workflows.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One report's reconciliation, its single ingestion and its ageing alerts, in simulated days. */
@Timeout(60)
class ReconciliationWorkflowTest {

  private static final String QUEUE = "reconciliation-test";
  private static final long DAY = Duration.ofDays(1).toMillis();

  private TestWorkflowEnvironment env;
  private final Books books = new Books();

  /**
   * The database and the bank: files stored by hash, a fixed number of breaks opened when matching,
   * which finance resolves at {@code resolvedAt}.
   */
  class Books implements ReconciliationActivities {
    volatile String fileHash = "a".repeat(64);
    volatile int breaksFound = 2;
    volatile long resolvedAt = Long.MAX_VALUE;
    volatile boolean malformed;
    volatile long openedAt;
    final Map<String, Boolean> reconciledByHash = new ConcurrentHashMap<>();
    final AtomicInteger ingestions = new AtomicInteger();
    final AtomicInteger matches = new AtomicInteger();
    final List<Long> checks = new CopyOnWriteArrayList<>();
    final List<Long> alerts = new CopyOnWriteArrayList<>();

    @Override
    public IngestedReport ingest(String currency, String reportDate, String workflowId) {
      if (malformed) {
        throw ApplicationFailure.newNonRetryableFailure("no header", MALFORMED_REPORT);
      }
      boolean first = reconciledByHash.putIfAbsent(fileHash, false) == null;
      if (first) {
        ingestions.incrementAndGet();
      }
      return new IngestedReport(
          "sr_" + fileHash.substring(0, 24),
          fileHash,
          10,
          5000,
          first,
          reconciledByHash.get(fileHash));
    }

    @Override
    public ReconciliationSummary match(String reportId) {
      matches.incrementAndGet();
      openedAt = env.currentTimeMillis();
      reconciledByHash.put(fileHash, true);
      return new ReconciliationSummary(8, breaksFound, 0, 0, 0);
    }

    @Override
    public BreakAgeing alertAged(String reportId, long asOfMillis, int alertAfterDays) {
      checks.add(asOfMillis - openedAt);
      int open = asOfMillis >= resolvedAt ? 0 : breaksFound;
      boolean aged = asOfMillis - openedAt >= alertAfterDays * DAY;
      if (open > 0 && aged) {
        alerts.add(asOfMillis - openedAt);
      }
      return new BreakAgeing(open, aged ? open : 0);
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
    worker.registerActivitiesImplementations(books);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void breaksOpenPastTheThreshold_areAlertedDaily_untilResolved() {
    long start = env.currentTimeMillis();
    books.resolvedAt = start + 4 * DAY + DAY / 2;

    ReconciliationResult result = reconcile(new ReconciliationRequest("USD", "2026-11-24", 3, 14));

    assertThat(result.status()).isEqualTo("reconciled");
    assertThat(result.summary().breaks()).isEqualTo(2);
    assertThat(result.openBreaks()).isZero();
    // Re-checked once a day; alerted on days 3 and 4, when the breaks were past three days old.
    assertThat(books.checks).hasSize(5);
    assertThat(books.alerts).hasSize(2);
    assertThat(Duration.ofMillis(books.alerts.getFirst()))
        .isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(1));
    assertThat(Duration.ofMillis(books.alerts.getLast()))
        .isBetween(Duration.ofDays(4), Duration.ofDays(4).plusMinutes(1));
    assertThat(settlementStatus("reconciliation-USD-2026-11-24")).isEqualTo("reconciled");
  }

  @Test
  void breaksNeverResolved_watchEndsAfterTheBoundedNumberOfDays() {
    ReconciliationResult result = reconcile(new ReconciliationRequest("USD", "2026-11-24", 2, 5));

    assertThat(result.status()).isEqualTo("breaks_open");
    assertThat(result.openBreaks()).isEqualTo(2);
    assertThat(books.checks).hasSize(5);
    assertThat(books.alerts).hasSize(4);
    assertThat(settlementStatus("reconciliation-USD-2026-11-24")).isEqualTo("breaks_aged");
  }

  @Test
  void sameFileFetchedTwice_isIngestedAndMatchedOnce_secondRunDoesNothing() {
    books.breaksFound = 0;

    ReconciliationResult first = reconcile(ReconciliationRequest.of("EUR", "2026-11-24"));
    ReconciliationResult second = reconcile(ReconciliationRequest.of("EUR", "2026-11-24"));

    assertThat(first.status()).isEqualTo("reconciled");
    assertThat(first.summary().matched()).isEqualTo(8);
    assertThat(second.status()).isEqualTo("already_ingested");
    assertThat(second.summary()).isNull();
    assertThat(second.reportId()).isEqualTo(first.reportId());
    assertThat(books.ingestions).hasValue(1);
    assertThat(books.matches).hasValue(1);
    assertThat(books.checks).isEmpty();
  }

  @Test
  void correctedFile_sameDay_isIngestedAsAnotherReport() {
    books.breaksFound = 0;
    reconcile(ReconciliationRequest.of("USD", "2026-11-24"));
    books.fileHash = "b".repeat(64);

    ReconciliationResult corrected = reconcile(ReconciliationRequest.of("USD", "2026-11-24"));

    assertThat(corrected.status()).isEqualTo("reconciled");
    assertThat(corrected.sha256()).isEqualTo("b".repeat(64));
    assertThat(books.ingestions).hasValue(2);
    assertThat(books.matches).hasValue(2);
  }

  @Test
  void malformedReport_failsAtOnce_withoutMatching() {
    books.malformed = true;

    assertThatThrownBy(() -> reconcile(ReconciliationRequest.of("USD", "2026-11-24")))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(books.matches).hasValue(0);
  }

  @Test
  void request_refusesBadCurrencyDateAndBounds() {
    assertThatThrownBy(() -> ReconciliationRequest.of("usd", "2026-11-24"))
        .hasMessageContaining("currency");
    assertThatThrownBy(() -> ReconciliationRequest.of("USD", "2026-11-31"))
        .hasMessageContaining("reportDate");
    assertThatThrownBy(() -> new ReconciliationRequest("USD", "2026-11-24", 0, 14))
        .hasMessageContaining("alertAfterDays");
    assertThatThrownBy(() -> new ReconciliationRequest("USD", "2026-11-24", 3, 61))
        .hasMessageContaining("watchDays");
  }

  private ReconciliationResult reconcile(ReconciliationRequest request) {
    ReconciliationWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                ReconciliationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(
                        ReconciliationWorkflow.workflowId(request.currency(), request.reportDate()))
                    .build());
    return workflow.reconcile(request);
  }

  private String settlementStatus(String workflowId) {
    return env.getWorkflowClient()
        .newUntypedWorkflowStub(workflowId)
        .describe()
        .getTypedSearchAttributes()
        .get(PayrailSearchAttributes.SETTLEMENT_STATUS);
  }
}
