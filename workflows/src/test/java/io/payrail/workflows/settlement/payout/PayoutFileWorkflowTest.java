package io.payrail.workflows.settlement.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.PayoutFileInput;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The payout file workflow in the time-skipping test environment, with fakes behind its activities:
 * a day's approval deadline and the bank's hours pass in milliseconds.
 */
@Timeout(60)
class PayoutFileWorkflowTest {

  private static final String QUEUE = "settlement-test";
  private static final String REQUESTER = "finance-maker";
  private static final String CHECKER = "finance-checker";

  private TestWorkflowEnvironment env;
  private final Files files = new Files();
  private final Bank bank = new Bank();
  private int workflows;

  /** The database and outbox side: records what the workflow asked for. */
  class Files implements PayoutFileActivities {
    volatile FileValidation validation = FileValidation.ok();
    volatile int entries = 2;
    volatile boolean unrepresentable;
    volatile int failedAtGeneration;
    volatile int approvalsToRefuse;
    final List<String> generated = new CopyOnWriteArrayList<>();
    final List<String> approvals = new CopyOnWriteArrayList<>();
    final Map<String, Acknowledgement> acknowledged = new ConcurrentHashMap<>();
    final List<String> voided = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();
    final List<String> answered = new CopyOnWriteArrayList<>();
    final List<Integer> outstandingAfterEachRecording = new CopyOnWriteArrayList<>();

    @Override
    public GeneratedFile generateFile(FileRequest request) {
      if (unrepresentable) {
        throw ApplicationFailure.newNonRetryableFailure(
            "payout po_x: 10000000000 exceeds the NACHA amount field", UNREPRESENTABLE);
      }
      generated.add(request.fileId());
      if (entries == 0) {
        return GeneratedFile.none(failedAtGeneration);
      }
      return new GeneratedFile(
          request.fileId(),
          request.fileId() + ".ach",
          "ab".repeat(32),
          entries,
          3000,
          "0012100024",
          failedAtGeneration);
    }

    @Override
    public FileValidation validateFile(String fileId) {
      return validation;
    }

    @Override
    public void recordFileApproval(String fileId, Approval approval) {
      if (approvalsToRefuse > 0) {
        approvalsToRefuse--;
        throw ApplicationFailure.newNonRetryableFailure(
            "payout file is rejected, not awaiting approval", "payout_file_not_awaiting_approval");
      }
      approvals.add(fileId + " by " + approval.approver());
    }

    @Override
    public void voidFile(String fileId, String reason) {
      voided.add(fileId + ": " + reason);
    }

    /** As the real one: a payout answered once stays answered; the file ends when all are. */
    @Override
    public RecordedAcknowledgement recordFileAcknowledgement(
        String fileId, Acknowledgement acknowledgement) {
      acknowledged.put(fileId, acknowledgement);
      if (!acknowledgement.accepted()) {
        outstandingAfterEachRecording.add(0);
        return new RecordedAcknowledgement("rejected", 0, 0);
      }
      int unknown = 0;
      for (EntryOutcome outcome : acknowledgement.entries()) {
        if (!outcome.reference().startsWith("09100001")) {
          unknown++;
        } else if (!answered.contains(outcome.reference())) {
          answered.add(outcome.reference());
        }
      }
      int outstanding = Math.max(0, entries - answered.size());
      outstandingAfterEachRecording.add(outstanding);
      return new RecordedAcknowledgement(
          outstanding == 0 ? "acknowledged" : "transmitted", outstanding, unknown);
    }

    @Override
    public void failFile(String fileId, String returnCode, String reason) {
      failed.add(fileId + " " + returnCode + ": " + reason);
    }
  }

  /** The bank: acknowledges once the test-server clock reaches {@code acknowledgesAt}. */
  class Bank implements BankFileActivities {
    volatile long acknowledgesAt;
    volatile boolean refusesUploads;

    /** Until {@code answersAllAt}, the bank answers for the first entry only. */
    volatile long answersAllAt;

    volatile Acknowledgement acknowledgement =
        Acknowledgement.accepted(
            List.of(EntryOutcome.paid("091000010000001"), EntryOutcome.paid("091000010000002")));
    final List<String> transmitted = new CopyOnWriteArrayList<>();
    final List<Long> polledAt = new CopyOnWriteArrayList<>();

    @Override
    public Transmission transmitFile(String fileId) {
      if (refusesUploads) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the bank refused /v1/payout_files: HTTP 422 (file_refused)", REFUSED);
      }
      transmitted.add(fileId);
      return new Transmission("bf_" + fileId);
    }

    @Override
    public Acknowledgement awaitFileAcknowledgement(String bankFileId) {
      long now = env.currentTimeMillis();
      polledAt.add(now);
      if (now < acknowledgesAt) {
        throw ApplicationFailure.newFailure("received, not yet acknowledged", NOT_YET_ACKNOWLEDGED);
      }
      if (now < answersAllAt) {
        return Acknowledgement.accepted(List.of(acknowledgement.entries().getFirst()));
      }
      return acknowledgement;
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    PayrailSearchAttributes.ALL.forEach(
        key -> env.registerSearchAttribute(key.getName(), key.getValueType()));
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(PayoutFileWorkflowImpl.class);
    worker.registerActivitiesImplementations(files, bank);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void happyPath_generatesValidatesWaitsForTheCheckerTransmitsAndRecordsTheAcknowledgement() {
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    assertThat(bank.transmitted).as("nothing leaves before approval").isEmpty();

    assertThat(workflow.approve(new Approval(CHECKER, "checked totals"))).isEqualTo("approved");

    assertThat(result(workflow)).isEqualTo("acknowledged");
    String fileId = files.generated.getFirst();
    assertThat(fileId).matches("pf_[A-Za-z0-9]{24}");
    assertThat(files.approvals).containsExactly(fileId + " by " + CHECKER);
    assertThat(bank.transmitted).containsExactly(fileId);
    assertThat(files.acknowledged.get(fileId).entries()).hasSize(2);
    assertThat(status(workflow)).isEqualTo("acknowledged");
  }

  @Test
  void approvalByTheRunsRequester_isRefused_andTheFileKeepsWaiting() {
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");

    assertThatThrownBy(() -> workflow.approve(new Approval(REQUESTER, null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("may not approve");
    assertThatThrownBy(() -> workflow.approve(new Approval(" Finance-Maker ", null)))
        .isInstanceOf(WorkflowUpdateException.class);

    assertThat(files.approvals).isEmpty();
    assertThat(bank.transmitted).isEmpty();
    assertThat(status(workflow)).isEqualTo("awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));
    assertThat(result(workflow)).isEqualTo("acknowledged");
  }

  @Test
  void secondApproval_isRefused_becauseTheFileIsNoLongerAwaitingApproval() {
    bank.acknowledgesAt = env.currentTimeMillis() + Duration.ofHours(1).toMillis();
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    assertThatThrownBy(() -> workflow.approve(new Approval("another-checker", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("not awaiting approval");
    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(files.approvals).hasSize(1);
  }

  @Test
  void anApprovalWhoseRecordingFails_leavesTheFileAwaitingAnother() {
    files.approvalsToRefuse = 1;
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");

    assertThatThrownBy(() -> workflow.approve(new Approval(CHECKER, null)))
        .isInstanceOf(WorkflowUpdateException.class);
    assertThat(bank.transmitted).isEmpty();

    assertThat(workflow.approve(new Approval(CHECKER, null))).isEqualTo("approved");
    assertThat(result(workflow)).isEqualTo("acknowledged");
  }

  @Test
  void aVoidWhileAwaitingApproval_voidsTheFile_andNothingIsSent() {
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");

    workflow.voidFile("superseded by settlement-USD-2026-11-24-2");

    assertThat(result(workflow)).isEqualTo("voided");
    assertThat(files.voided)
        .containsExactly(
            files.generated.getFirst() + ": superseded by settlement-USD-2026-11-24-2");
    assertThat(bank.transmitted).isEmpty();
    assertThat(status(workflow)).isEqualTo("voided");
    assertThatThrownBy(() -> workflow.approve(new Approval(CHECKER, null)))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void aVoidAfterTheApproval_isIgnored_andTheFileIsSent() {
    bank.acknowledgesAt = env.currentTimeMillis() + Duration.ofHours(1).toMillis();
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    workflow.voidFile("superseded");

    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(files.voided).isEmpty();
    assertThat(bank.transmitted).hasSize(1);
  }

  @Test
  void history_replaysWithTheCurrentCode() throws Exception {
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));
    result(workflow);

    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
        env.getWorkflowClient()
            .fetchHistory(WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId()),
        PayoutFileWorkflowImpl.class);
  }

  @Test
  void approvalBeforeValidation_isRefused() {
    files.validation = FileValidation.failed("file control credit total 2999 != 3000");
    PayoutFileWorkflow workflow = startFile();

    assertThat(result(workflow)).isEqualTo("rejected");
    assertThatThrownBy(() -> workflow.approve(new Approval(CHECKER, null)))
        .isInstanceOf(RuntimeException.class);
    assertThat(bank.transmitted).isEmpty();
    assertThat(files.approvals).isEmpty();
  }

  @Test
  void noApprovalWithinADay_alertsOperators_andALaterApprovalStillSendsTheFile() {
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");

    env.sleep(Duration.ofHours(23));
    assertThat(status(workflow)).isEqualTo("awaiting_approval");
    env.sleep(Duration.ofHours(2));
    assertThat(status(workflow)).isEqualTo("approval_overdue");
    assertThat(bank.transmitted).isEmpty();

    env.sleep(Duration.ofDays(2));
    assertThat(workflow.approve(new Approval(CHECKER, null))).isEqualTo("approved");

    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(bank.transmitted).hasSize(1);
  }

  @Test
  void noAcknowledgementWithinFourHours_alertsOperators_keepsPolling_andALateOneCompletes() {
    bank.acknowledgesAt = Long.MAX_VALUE;
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));
    long transmittedAt = env.currentTimeMillis();

    env.sleep(Duration.ofHours(3));
    assertThat(status(workflow)).isEqualTo("awaiting_ack");
    env.sleep(Duration.ofHours(2));
    assertThat(status(workflow)).isEqualTo("ack_overdue");
    assertThat(files.acknowledged).isEmpty();

    bank.acknowledgesAt = env.currentTimeMillis();
    assertThat(result(workflow)).isEqualTo("acknowledged");
    // Polls back off (10 s doubling to 10 min), so five hours cost tens of polls, not thousands.
    List<Long> polls = bank.polledAt;
    assertThat(polls.size()).isBetween(25, 60);
    assertThat(polls.get(1) - polls.get(0)).isBetween(9_000L, 11_000L);
    assertThat(polls.getLast() - transmittedAt).isGreaterThan(Duration.ofHours(5).toMillis());
  }

  @Test
  void returnedEntries_reachTheRecordingWithTheirReturnCodes() {
    bank.acknowledgement =
        Acknowledgement.accepted(
            List.of(
                EntryOutcome.paid("091000010000001"),
                EntryOutcome.returned("091000010000002", "R01"),
                EntryOutcome.returned("091000010000003", "R03")));
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    assertThat(result(workflow)).isEqualTo("acknowledged");
    Acknowledgement recorded = files.acknowledged.get(files.generated.getFirst());
    assertThat(recorded.entries())
        .filteredOn(entry -> !entry.paid())
        .extracting(EntryOutcome::returnCode)
        .containsExactly("R01", "R03");
  }

  @Test
  void fileRejectedByTheBank_endsRejected() {
    bank.acknowledgement = Acknowledgement.rejected("file control total mismatch");
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    assertThat(result(workflow)).isEqualTo("rejected");
    assertThat(files.acknowledged.values()).singleElement().matches(ack -> !ack.accepted());
  }

  @Test
  void invalidFile_isRejected_neverApprovedNorSent() {
    files.validation = FileValidation.failed("entry hash 0012100024 != 0012100025");

    assertThat(result(startFile())).isEqualTo("rejected");
    assertThat(bank.transmitted).isEmpty();
  }

  @Test
  void anUploadTheBankRefuses_failsTheFileAndItsPayouts_insteadOfFailingTheWorkflow() {
    bank.refusesUploads = true;
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    assertThat(result(workflow)).isEqualTo("rejected");
    assertThat(files.failed)
        .containsExactly(
            files.generated.getFirst()
                + " REJECTED: the bank refused /v1/payout_files: HTTP 422 (file_refused)");
    assertThat(files.acknowledged).isEmpty();
  }

  @Test
  void aPartialAcknowledgement_keepsTheFileWaiting_untilEveryPayoutIsAnswered() {
    bank.answersAllAt = env.currentTimeMillis() + Duration.ofHours(2).toMillis();
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    env.sleep(Duration.ofMinutes(30));
    assertThat(status(workflow)).isEqualTo("partially_acknowledged");
    assertThat(files.answered).containsExactly("091000010000001");

    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(files.outstandingAfterEachRecording).startsWith(1).endsWith(0);
    assertThat(files.answered).containsExactly("091000010000001", "091000010000002");
  }

  @Test
  void
      aPartialAcknowledgementPastTheDeadline_alertsOperators_andContinuesAsNewWithABoundedHistory() {
    bank.answersAllAt = env.currentTimeMillis() + Duration.ofDays(5).toMillis();
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    String firstRun = WorkflowStub.fromTyped(workflow).getExecution().getRunId();
    workflow.approve(new Approval(CHECKER, null));

    env.sleep(Duration.ofHours(3));
    assertThat(status(workflow)).isEqualTo("partially_acknowledged");
    env.sleep(Duration.ofHours(2));
    assertThat(status(workflow)).isEqualTo("ack_overdue");

    env.sleep(Duration.ofDays(3));
    WorkflowStub current = env.getWorkflowClient().newUntypedWorkflowStub(workflowIdOf(workflow));
    assertThat(current.describe().getExecution().getRunId())
        .as("continued as new")
        .isNotEqualTo(firstRun);
    assertThat(
            current
                .describe()
                .getTypedSearchAttributes()
                .get(PayrailSearchAttributes.SETTLEMENT_STATUS))
        .as("the alert survives the continue-as-new")
        .isEqualTo("ack_overdue");

    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(files.outstandingAfterEachRecording.size())
        .isGreaterThan(PayoutFileWorkflowImpl.ROUNDS_PER_RUN);
    assertThat(env.getWorkflowClient().fetchHistory(workflowIdOf(workflow)).getEvents().size())
        .as("the last run's history")
        .isLessThan(1_000);
  }

  @Test
  void anAnswerLineWithAnUnknownReference_isIgnored_andTheFileCompletes() {
    bank.acknowledgement =
        Acknowledgement.accepted(
            List.of(
                EntryOutcome.paid("091000010000001"),
                EntryOutcome.paid("UNKNOWN-REF-0001"),
                EntryOutcome.paid("091000010000002")));
    PayoutFileWorkflow workflow = startFile();
    awaitStatus(workflow, "awaiting_approval");
    workflow.approve(new Approval(CHECKER, null));

    assertThat(result(workflow)).isEqualTo("acknowledged");
    assertThat(files.outstandingAfterEachRecording).containsExactly(0);
  }

  @Test
  void aRunWhosePayoutsAllFailedAtGeneration_endsRejected_notEmpty() {
    files.entries = 0;
    files.failedAtGeneration = 2;

    assertThat(result(startFile())).isEqualTo("rejected");
    assertThat(bank.transmitted).isEmpty();
  }

  @Test
  void payoutOverTheFormatsLimit_rejectsTheFile_withoutRetrying() {
    files.unrepresentable = true;

    assertThat(result(startFile())).isEqualTo("rejected");
    assertThat(bank.transmitted).isEmpty();
  }

  @Test
  void runWithoutPayoutsOnTheRail_endsEmpty() {
    files.entries = 0;

    assertThat(result(startFile())).isEqualTo("empty");
    assertThat(bank.transmitted).isEmpty();
  }

  private PayoutFileWorkflow startFile() {
    workflows++;
    PayoutFileInput input =
        new PayoutFileInput(41 + workflows, "USD", "2026-11-24", workflows, "ach", REQUESTER);
    PayoutFileWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                PayoutFileWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(
                        PayoutFileWorkflow.workflowId(
                            input.currency(), input.businessDate(), input.runNumber(), "ach"))
                    .setTaskQueue(QUEUE)
                    .build());
    WorkflowClient.start(workflow::run, input);
    return workflow;
  }

  private static String workflowIdOf(PayoutFileWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }

  private static String result(PayoutFileWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(String.class);
  }

  private static String status(PayoutFileWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow)
        .describe()
        .getTypedSearchAttributes()
        .get(PayrailSearchAttributes.SETTLEMENT_STATUS);
  }

  /** The workflow reaches a waiting state without time passing: wait for it in real time. */
  private void awaitStatus(PayoutFileWorkflow workflow, String expected) {
    long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!expected.equals(status(workflow))) {
      assertThat(System.nanoTime()).as("status " + expected).isLessThan(giveUp);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
