package io.payrail.workflows.settlement;

/**
 * The statuses of {@code settlement_runs.status}, also the {@code SettlementStatus} search
 * attribute of the run's workflow: {@code computing} (opened, claiming its items), {@code posting}
 * (batches computing and posting), {@code posted}. Reruns add {@code awaiting_approval}, {@code
 * superseded} and {@code rejected}.
 */
public final class RunStatus {

  public static final String COMPUTING = "computing";
  public static final String POSTING = "posting";
  public static final String POSTED = "posted";

  private RunStatus() {}
}
