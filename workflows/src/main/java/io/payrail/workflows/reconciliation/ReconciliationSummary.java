package io.payrail.workflows.reconciliation;

/** What matching one report found: lines matched, and the breaks it opened by kind. */
public record ReconciliationSummary(
    int matched, int missing, int unexpected, int amountMismatch, int duplicate) {

  public int breaks() {
    return missing + unexpected + amountMismatch + duplicate;
  }
}
