package io.payrail.banksim;

/**
 * What the settlement report gets wrong on purpose, so that a test can make the bank produce each
 * kind of reconciliation break. Deterministic: the report's true lines are sorted by reference and
 * the faults take consecutive, disjoint slices of them in this order: the first {@code drop} lines
 * are left out, the next {@code alterAmount} report a gross 100 minor units higher, the next {@code
 * duplicate} appear twice; then {@code extra} lines the bank never processed are added.
 *
 * @param drop lines left out (Payrail then misses them: {@code missing})
 * @param extra lines added for operations that never happened ({@code unexpected})
 * @param alterAmount lines whose gross is wrong ({@code amount_mismatch})
 * @param duplicate lines reported twice ({@code duplicate})
 */
public record ReportFaults(int drop, int extra, int alterAmount, int duplicate) {

  /** A faithful report. */
  public static final ReportFaults NONE = new ReportFaults(0, 0, 0, 0);

  /** How much an altered line's gross is off by, in minor units. */
  static final long ALTERATION = 100;

  private static final int MAX = 10_000;

  public ReportFaults {
    requireCount("report.drop", drop);
    requireCount("report.extra", extra);
    requireCount("report.alter_amount", alterAmount);
    requireCount("report.duplicate", duplicate);
  }

  private static void requireCount(String name, int count) {
    if (count < 0 || count > MAX) {
      throw new IllegalArgumentException(name + " must be between 0 and " + MAX);
    }
  }
}
