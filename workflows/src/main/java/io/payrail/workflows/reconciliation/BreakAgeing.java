package io.payrail.workflows.reconciliation;

/**
 * One daily re-check of a report's breaks.
 *
 * @param open breaks of the report still open
 * @param aged of those, the ones older than the alert threshold (alerted to operators)
 */
public record BreakAgeing(int open, int aged) {}
