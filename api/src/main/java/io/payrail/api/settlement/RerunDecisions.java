package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.settlement.Approval;
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
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Sends a finance user's decision on a rerun to its {@code DailySettlementWorkflow} ({@code
 * approve} or {@code reject} update) and maps the workflow's refusal to a 409, as {@link
 * PayoutFileApprovals} does for files. The workflow decides (maker-checker, state) and its activity
 * writes the audit record with the decider as actor.
 *
 * <p>The update id is {@code <decision>:<subject>}: a retried request from the same person attaches
 * to the first one's update and gets its outcome.
 */
@Service
class RerunDecisions implements DisposableBean {

  /** How long a request waits for the workflow; past it, 503 and the same request may be sent. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private final WorkflowClient temporal;
  private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

  RerunDecisions(WorkflowClient temporal) {
    this.temporal = temporal;
  }

  /**
   * Sends {@code decision} ({@code approve} or {@code reject}) and returns the workflow's answer
   * ({@code approved}, {@code rejected}).
   */
  String decide(SettlementRunRepository.Run run, String decision, Approval approval) {
    WorkflowStub stub = temporal.newUntypedWorkflowStub(run.workflowId());
    Map<String, String> context = MDC.getCopyOfContextMap();
    Future<String> answer =
        waiters.submit(
            () -> {
              if (context != null) {
                MDC.setContextMap(context);
              }
              return stub.startUpdate(
                      UpdateOptions.newBuilder(String.class)
                          .setUpdateName(decision)
                          .setUpdateId(decision + ":" + approval.approver())
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
              "decision_pending",
              "The rerun's workflow did not answer in time; send the same request again",
              null)
          .retryAfter(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deciding on run " + run.id(), e);
    } catch (ExecutionException e) {
      throw refusal(run, e.getCause());
    }
  }

  private static RuntimeException refusal(SettlementRunRepository.Run run, Throwable failure) {
    if (failure instanceof WorkflowUpdateException refused
        && refused.getCause() instanceof ApplicationFailure reason) {
      return conflict("decision_refused", "Refused: " + reason.getOriginalMessage());
    }
    if (failure instanceof WorkflowNotFoundException) {
      return conflict(
          "settlement_run_not_awaiting_approval",
          "Run " + run.workflowId() + " is " + run.status() + " and awaits no approval");
    }
    if (failure instanceof RuntimeException unexpected) {
      return unexpected;
    }
    return new IllegalStateException("decision on run " + run.id() + " failed", failure);
  }

  private static ApiException conflict(String code, String message) {
    return new ApiException(HttpStatus.CONFLICT, ErrorTypes.INVALID_REQUEST, code, message, null);
  }

  @Override
  public void destroy() {
    waiters.shutdownNow();
  }
}
