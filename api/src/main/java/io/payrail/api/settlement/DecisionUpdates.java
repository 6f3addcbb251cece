package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.common.CorrelationId;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.RerunActivities;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
 * Sends a finance user's decision (a payout file's or a rerun's {@code approve}, a rerun's {@code
 * reject}) to its workflow as an update, and maps Temporal's answer to the API's, the same way for
 * every decision endpoint:
 *
 * <ul>
 *   <li>the workflow's answer: returned;
 *   <li>the update's validator or handler refused it (maker = checker, not awaiting a decision):
 *       409 with the endpoint's code and the workflow's reason; a rerun the approval's handler
 *       found stale: 409 {@code rerun_stale};
 *   <li>no execution of that id is running (it ended, or never started): empty, for the caller to
 *       say what that means for its object (a 404, or a rerun whose workflow failed rejected);
 *   <li>anything else (Temporal unreachable, an activity that failed behind the update, no answer
 *       within {@link #WAIT}): 503 with {@code Retry-After}, logged with the request id. Nothing
 *       was decided that the same request cannot finish: the update id is {@code
 *       <update>:<subject>}, so a retry attaches to the first one's update and gets its outcome.
 * </ul>
 *
 * <p>The workflow decides (maker-checker, state) and its activity writes the audit record; the api
 * only carries the approver from the verified token.
 */
@Service
class DecisionUpdates implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DecisionUpdates.class);

  /** How long a request waits for the workflow; past it, 503 and the same request may be sent. */
  static final Duration WAIT = Duration.ofSeconds(10);

  static final long RETRY_AFTER_SECONDS = 5;

  /**
   * The 409 code of an approval refused because the rerun is stale (its day changed since it was
   * computed): reject it and ask for a new rerun.
   */
  static final String STALE = "rerun_stale";

  /**
   * What an endpoint answers with.
   *
   * @param refused the 409 code when the workflow refuses the decision
   * @param pending the 503 code when it could not be decided now
   * @param subject what is decided on, for messages ({@code "payout file pf_..."})
   */
  record Codes(String refused, String pending, String subject) {}

  private final WorkflowClient temporal;
  private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

  DecisionUpdates(WorkflowClient temporal) {
    this.temporal = temporal;
  }

  /**
   * Sends {@code update} with {@code approval} to workflow {@code workflowId}.
   *
   * @return the workflow's answer, or empty when no execution of that id is running
   * @throws ApiException 409 when refused, 503 with {@code Retry-After} when not decided now
   */
  Optional<String> send(String workflowId, String update, Approval approval, Codes codes) {
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
                          .setUpdateName(update)
                          .setUpdateId(update + ":" + approval.approver())
                          .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                          .build(),
                      approval)
                  .getResult();
            });
    try {
      return Optional.of(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw pending(codes, update, workflowId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw pending(codes, update, workflowId, e);
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof WorkflowNotFoundException) {
        return Optional.empty();
      }
      if (failure instanceof WorkflowUpdateException refused
          && refused.getCause() instanceof ApplicationFailure reason) {
        throw new ApiException(
            HttpStatus.CONFLICT,
            ErrorTypes.INVALID_REQUEST,
            RerunActivities.STALE.equals(reason.getType()) ? STALE : codes.refused(),
            "Refused for " + codes.subject() + ": " + reason.getOriginalMessage(),
            null);
      }
      throw pending(codes, update, workflowId, failure);
    }
  }

  private static ApiException pending(
      Codes codes, String update, String workflowId, Throwable failure) {
    log.warn(
        "{} of {} (workflow {}) not decided now, request {}: {}",
        update,
        codes.subject(),
        workflowId,
        MDC.get(CorrelationId.MDC_KEY),
        failure.toString());
    return new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ErrorTypes.API,
            codes.pending(),
            "The "
                + update
                + " of "
                + codes.subject()
                + " could not be recorded now; send the same request again",
            null)
        .retryAfter(RETRY_AFTER_SECONDS);
  }

  @Override
  public void destroy() {
    waiters.shutdownNow();
  }
}
