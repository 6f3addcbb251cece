package io.payrail.activities.settlement.payout;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the totals that did not match, each named, so that a validation failure says every
 * mismatch at once, e.g. {@code batch control credit total 150000 != 150100}. Only totals, counts,
 * ids and codes are printed: callers compare accounts with {@link #isTrue}.
 */
final class Checks {

  private final List<String> problems = new ArrayList<>();

  void equal(String total, Object stated, Object recomputed) {
    if (!Objects.equals(stated, recomputed)) {
      problems.add(total + " " + stated + " != " + recomputed);
    }
  }

  void isTrue(String what, boolean holds) {
    if (!holds) {
      problems.add(what + " does not match");
    }
  }

  void fail(String problem) {
    problems.add(problem);
  }

  FileValidation result() {
    return problems.isEmpty()
        ? FileValidation.ok()
        : FileValidation.failed(String.join("; ", problems));
  }
}
