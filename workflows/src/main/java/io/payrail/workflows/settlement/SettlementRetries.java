package io.payrail.workflows.settlement;

import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * How the settlement's activities retry: for ever on what may pass (a database restarting, a worker
 * lost, a lock timeout), never on what cannot. An entry whose lines do not balance or a row the
 * schema refuses (a check, a foreign key, a second claim of a day) fails the same way on every
 * attempt: retrying it would hold the run, and with it every later day the schedule buffers,
 * without an end. Such a failure fails the run instead, which pauses the currency's schedule (pause
 * on failure, docs/settlement-run.md) and shows the failed run and its cause in the Temporal UI.
 *
 * <p>The types are the failures' class names as Temporal records them (an exact match, not a
 * subclass): {@code IllegalArgumentException} is what the ledger throws for an unbalanced or
 * malformed entry, {@code DataIntegrityViolationException} what Spring's JDBC translation throws
 * for a violated constraint (a unique key's {@code DuplicateKeyException} is left retryable: every
 * insert of the settlement is {@code ON CONFLICT DO NOTHING}, so one could only come from a race
 * that a retry resolves).
 */
final class SettlementRetries {

  static final String[] DETERMINISTIC = {
    "java.lang.IllegalArgumentException", "org.springframework.dao.DataIntegrityViolationException"
  };

  private SettlementRetries() {}

  /**
   * Every second at first, then every minute; deterministic failures, and the caller's own business
   * refusals ({@code alsoFinal}), are not retried.
   */
  static RetryOptions untilDeterministicFailure(String... alsoFinal) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setMaximumInterval(Duration.ofMinutes(1))
        .setDoNotRetry(
            Stream.concat(Arrays.stream(DETERMINISTIC), Arrays.stream(alsoFinal))
                .toArray(String[]::new))
        .build();
  }
}
