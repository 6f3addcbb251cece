package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.grpc.Status;
import io.payrail.api.error.ApiException;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.RerunActivities;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * How the two decision endpoints (a payout file's approval, a rerun's approve and reject) map what
 * Temporal answers to the update they send, with a WorkflowClient that answers as Temporal would: a
 * refusal is a 409 naming the reason, no running workflow a 404 (or, for a rerun's rejection, the
 * rejection recorded by the api), anything unexpected a 503 with Retry-After, never a 500.
 */
class DecisionUpdatesTest {

  private static final WorkflowExecution EXECUTION =
      WorkflowExecution.newBuilder().setWorkflowId("wf").build();
  private static final Approval CHECKER = new Approval("checker-subject", "checked");

  private final WorkflowClient temporal = mock(WorkflowClient.class);
  private final WorkflowStub stub = mock(WorkflowStub.class);
  private final Reruns reruns = mock(Reruns.class);
  private final DecisionUpdates updates = new DecisionUpdates(temporal);
  private final PayoutFileApprovals files = new PayoutFileApprovals(updates);
  private final RerunDecisions decisions = new RerunDecisions(updates, reruns);

  @AfterEach
  void stop() {
    updates.destroy();
  }

  @Test
  void theWorkflowsAnswer_isReturned() {
    answers("approved");

    assertThat(files.approve(file(), CHECKER)).isEqualTo("approved");
    assertThat(decisions.decide(rerun("awaiting_approval"), "approve", CHECKER))
        .isEqualTo("approved");
  }

  @Test
  void aRefusalByTheValidator_isA409NamingTheReason_forBothEndpoints() {
    fails(
        () ->
            new WorkflowUpdateException(
                EXECUTION,
                "approve:maker",
                "approve",
                ApplicationFailure.newFailure(
                    "the finance user who requested the rerun may not approve it",
                    "java.lang.IllegalArgumentException")));

    assertRefused(() -> files.approve(file(), CHECKER), HttpStatus.CONFLICT, "approval_refused")
        .hasMessageContaining("may not approve it");
    assertRefused(
            () -> decisions.decide(rerun("awaiting_approval"), "approve", CHECKER),
            HttpStatus.CONFLICT,
            "decision_refused")
        .hasMessageContaining("may not approve it");
  }

  @Test
  void noRunningWorkflow_isA404_forBothEndpoints() {
    fails(() -> new WorkflowNotFoundException(EXECUTION, "DailySettlementWorkflow", null));

    assertRefused(
        () -> files.approve(file(), CHECKER),
        HttpStatus.NOT_FOUND,
        "payout_file_not_awaiting_approval");
    assertRefused(
        () -> decisions.decide(rerun("posted"), "approve", CHECKER),
        HttpStatus.NOT_FOUND,
        "settlement_run_not_awaiting_approval");
    assertRefused(
        () -> decisions.decide(rerun("posted"), "reject", CHECKER),
        HttpStatus.NOT_FOUND,
        "settlement_run_not_awaiting_approval");
    verify(reruns, never()).rejectEnded(anyLong(), any());
  }

  @Test
  void aRerunWhoseWorkflowEndedUndecided_isRejectedByTheApi() {
    fails(() -> new WorkflowNotFoundException(EXECUTION, "DailySettlementWorkflow", null));
    when(reruns.rejectEnded(13L, "checked")).thenReturn(true);

    assertThat(decisions.decide(rerun("awaiting_approval"), "reject", CHECKER))
        .isEqualTo("rejected");
    verify(reruns).rejectEnded(13L, "checked");
  }

  @Test
  void temporalUnavailable_isA503WithRetryAfter_forBothEndpoints() {
    fails(
        () ->
            new WorkflowServiceException(
                EXECUTION,
                "approve",
                Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException()));

    assertPending();
  }

  @Test
  void anActivityThatFailedBehindTheUpdate_isA503WithRetryAfter_forBothEndpoints() {
    fails(
        () ->
            new WorkflowUpdateException(
                EXECUTION,
                "approve:checker-subject",
                "approve",
                new ActivityFailure(
                    "activity failed",
                    1,
                    2,
                    "RecordFileApproval",
                    "1",
                    RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
                    "worker",
                    new TimeoutFailure(
                        "start to close", null, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE))));

    assertPending();
  }

  @Test
  void anyOtherFailure_isA503WithRetryAfter_notA500() {
    fails(() -> new IllegalStateException("something nobody expected"));

    assertPending();
  }

  @Test
  void aStaleRerun_refusedByTheApprovalsHandler_isA409RerunStale() {
    fails(
        () ->
            new WorkflowUpdateException(
                EXECUTION,
                "approve:checker-subject",
                "approve",
                ApplicationFailure.newNonRetryableFailure(
                    "rerun 13 is stale: the items of 2 merchants changed since it was computed",
                    RerunActivities.STALE)));

    assertRefused(
            () -> decisions.decide(rerun("awaiting_approval"), "approve", CHECKER),
            HttpStatus.CONFLICT,
            "rerun_stale")
        .hasMessageContaining("2 merchants");
  }

  private void assertPending() {
    assertRefused(
            () -> files.approve(file(), CHECKER),
            HttpStatus.SERVICE_UNAVAILABLE,
            "approval_pending")
        .satisfies(e -> assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(5L));
    assertRefused(
            () -> decisions.decide(rerun("awaiting_approval"), "approve", CHECKER),
            HttpStatus.SERVICE_UNAVAILABLE,
            "decision_pending")
        .satisfies(e -> assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(5L));
    assertRefused(
            () -> decisions.decide(rerun("awaiting_approval"), "reject", CHECKER),
            HttpStatus.SERVICE_UNAVAILABLE,
            "decision_pending")
        .satisfies(e -> assertThat(((ApiException) e).retryAfterSeconds()).isEqualTo(5L));
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, HttpStatus status, String code) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.code()).isEqualTo(code);
            });
  }

  @SuppressWarnings("unchecked")
  private void answers(String answer) {
    WorkflowUpdateHandle<Object> handle = mock(WorkflowUpdateHandle.class);
    when(handle.getResult()).thenReturn(answer);
    when(temporal.newUntypedWorkflowStub(any(String.class))).thenReturn(stub);
    when(stub.startUpdate(any(UpdateOptions.class), any())).thenReturn(handle);
  }

  private void fails(Supplier<RuntimeException> failure) {
    when(temporal.newUntypedWorkflowStub(any(String.class))).thenReturn(stub);
    when(stub.startUpdate(any(UpdateOptions.class), any()))
        .thenAnswer(
            call -> {
              throw failure.get();
            });
  }

  private static SettlementRunRepository.PayoutFile file() {
    return new SettlementRunRepository.PayoutFile(
        "pf_0123456789abcdef01234567",
        12L,
        "ach",
        "USD",
        "nacha",
        "file.ach",
        "ab".repeat(32),
        1,
        12_500L,
        null,
        "validated",
        null,
        null,
        null,
        null,
        OffsetDateTime.now(),
        OffsetDateTime.now(),
        LocalDate.of(2026, 11, 24),
        1,
        "maker-subject");
  }

  private static SettlementRunRepository.Run rerun(String status) {
    return new SettlementRunRepository.Run(
        13L,
        "USD",
        LocalDate.of(2026, 11, 24),
        2,
        "settlement-USD-2026-11-24-2",
        OffsetDateTime.now().minusDays(1),
        OffsetDateTime.now(),
        status,
        12L,
        "maker-subject",
        "fees",
        null,
        OffsetDateTime.now(),
        null);
  }
}
