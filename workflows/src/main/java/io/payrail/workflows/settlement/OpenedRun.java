package io.payrail.workflows.settlement;

/**
 * A settlement run as {@link SettlementActivities#openRun} found or created it.
 *
 * @param runId {@code settlement_runs.id}
 * @param status its status now; {@code posted} when an earlier execution already finished it
 */
public record OpenedRun(long runId, String status) {}
