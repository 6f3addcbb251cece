package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Sends a finance user's approval of a payout file to its {@link PayoutFileWorkflow} ({@code
 * approve} update) and maps the workflow's refusal to a 409. The workflow decides (maker-checker,
 * state) and its activity writes the audit record; the api only carries the verified approver.
 *
 * <p>The update id is {@code approve:<approver>}: a retried request from the same person attaches
 * to the first one's update and gets its outcome, whatever happened to the first connection.
 */
@Service
class PayoutFileApprovals implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(PayoutFileApprovals.class);

  /** How long a request waits for the workflow; past it, 503 and the same request may be sent. */
  static final Duration WAIT = Duration.ofSeconds(10);

  static final String UPDATE = "approve";

  private final WorkflowClient temporal;
  private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

  PayoutFileApprovals(WorkflowClient temporal) {
    this.temporal = temporal;
  }

  /** Returns the file's status after the approval, as the workflow reports it. */
  String approve(SettlementRunRepository.PayoutFile file, Approval approval) {
    String workflowId =
        PayoutFileWorkflow.workflowId(
            file.currency(), file.businessDate().toString(), file.runNumber(), file.rail());
    WorkflowStub stub = temporal.newUntypedWorkflowStub(workflowId);
    Map<String, String> context = MDC.getCopyOfContextMap();
    Future<String> answer =
        waiters.submit(
            () -> {
              if (context != null) {
                MDC.setContextMap(context);
              }
              return stub.startUpdate(
                      UpdateOptions.newBuilder(String.class)
                          .setUpdateName(UPDATE)
                          .setUpdateId(UPDATE + ":" + approval.approver())
                          .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                          .build(),
                      approval)
                  .getResult();
            });
    try {
      return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              ErrorTypes.API,
              "approval_pending",
              "The payout file's workflow did not answer in time; send the same approval again",
              null)
          .retryAfter(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while approving " + file.id(), e);
    } catch (ExecutionException e) {
      throw refusal(file, e.getCause());
    }
  }

  private static RuntimeException refusal(
      SettlementRunRepository.PayoutFile file, Throwable failure) {
    if (failure instanceof WorkflowUpdateException refused
        && refused.getCause() instanceof ApplicationFailure reason) {
      return conflict(
          "approval_refused", "The approval was refused: " + reason.getOriginalMessage());
    }
    if (failure instanceof WorkflowNotFoundException) {
      return conflict(
          "payout_file_not_awaiting_approval",
          "Payout file " + file.id() + " is " + file.status() + " and awaits no approval");
    }
    // The workflow could not record the approval (an activity failed), or Temporal did not
    // answer: nothing was approved, and the same request may be sent again.
    log.warn("approval of {} did not complete: {}", file.id(), failure.toString());
    return new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ErrorTypes.API,
            "approval_pending",
            "The approval could not be recorded now; send the same approval again",
            null)
        .retryAfter(5);
  }

  private static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, ErrorTypes.INVALID_REQUEST, code, message, null);
  }

  @Override
  public void destroy() {
    waiters.shutdownNow();
  }
}
