package io.payrail.workflows.payment;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How workflows call the bank: the activity stubs (every call retried while the bank is
 * unreachable, never when its outcome is unknown; inquiries retried for as long as it takes), and
 * the resolution of an unknown outcome by inquiry. For workflow code only.
 */
public final class BankCalls {

  /** How often a bank request the bank never processed is sent again before giving up. */
  public static final int RESENDS = 3;

  private static final Logger log = Workflow.getLogger(BankCalls.class);

  private final BankActivities bank =
      stub(
          backoff()
              .setMaximumInterval(Duration.ofMinutes(1))
              .setMaximumAttempts(8)
              .setDoNotRetry(BankActivities.OUTCOME_UNKNOWN));

  private final BankActivities inquiries =
      stub(backoff().setMaximumInterval(Duration.ofMinutes(5)));

  /** For workflow code: the bank operations. */
  public BankActivities bank() {
    return bank;
  }

  /** For workflow code: inquiries, retried until the bank answers. */
  public BankActivities inquiries() {
    return inquiries;
  }

  /**
   * Runs a bank call whose request id is fixed by the operation. When its outcome is unknown, the
   * bank is asked what became of the request id: its answer counts, and a request it never
   * processed is sent again with the same id (so it can never be processed twice). Null when the
   * bank stayed unreachable or every resend was lost.
   *
   * @param onUnknown runs each time an attempt's outcome is unknown
   */
  public BankResult resolve(String requestId, Supplier<BankResult> call, Runnable onUnknown) {
    for (int attempt = 1; attempt <= RESENDS; attempt++) {
      try {
        return call.get();
      } catch (ActivityFailure failure) {
        if (!isOutcomeUnknown(failure)) {
          return null;
        }
        onUnknown.run();
        BankInquiry inquiry = inquiries.inquire(requestId);
        if (inquiry.processed()) {
          return inquiry.result();
        }
        log.info("{} never reached the bank; sending it again", requestId);
      }
    }
    return null;
  }

  private static boolean isOutcomeUnknown(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure cause
        && BankActivities.OUTCOME_UNKNOWN.equals(cause.getType());
  }

  private static RetryOptions.Builder backoff() {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2);
  }

  private static BankActivities stub(RetryOptions.Builder retry) {
    return Workflow.newActivityStub(
        BankActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retry.build())
            .build());
  }
}
