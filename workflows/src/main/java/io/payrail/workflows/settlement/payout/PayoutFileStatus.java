package io.payrail.workflows.settlement.payout;

import java.util.Locale;

/**
 * Where a payout file's workflow stands, as the {@code SettlementStatus} search attribute shows it
 * ({@code SettlementStatus = "approval_overdue"} finds the files operators must chase). The two
 * {@code _overdue} values are alerts: the workflow keeps waiting.
 */
public enum PayoutFileStatus {
  GENERATING,
  VALIDATING,
  AWAITING_APPROVAL,
  /** No approval within the approval deadline: finance must be chased. */
  APPROVAL_OVERDUE,
  TRANSMITTING,
  AWAITING_ACK,
  /** The bank has not acknowledged the file within the acknowledgement deadline. */
  ACK_OVERDUE,
  ACKNOWLEDGED,
  REJECTED,
  /** The run had no pending payout on the rail: no file was written. */
  EMPTY,
  /** A finance rerun replaced the run before the file was approved: nothing was sent. */
  VOIDED;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean awaitsApproval() {
    return this == AWAITING_APPROVAL || this == APPROVAL_OVERDUE;
  }
}
