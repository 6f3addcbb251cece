package io.payrail.workflows.settlement;

/**
 * The statuses of {@code settlement_runs.status}, also the {@code SettlementStatus} search
 * attribute of the run's workflow: {@code computing} (opened, claiming its items), {@code posting}
 * (batches computing and posting), {@code posted}. Reruns add {@code awaiting_approval} (computed
 * beside the run they supersede, nothing posted), {@code approval_overdue} (the search attribute
 * only: the approval deadline passed, the rerun still waits), {@code superseded} (a run replaced by
 * an approved rerun) and {@code rejected}.
 */
public final class RunStatus {

  public static final String COMPUTING = "computing";
  public static final String POSTING = "posting";
  public static final String POSTED = "posted";
  public static final String AWAITING_APPROVAL = "awaiting_approval";
  public static final String APPROVAL_OVERDUE = "approval_overdue";
  public static final String SUPERSEDED = "superseded";
  public static final String REJECTED = "rejected";

  private RunStatus() {}
}
