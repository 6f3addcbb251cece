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
  /**
   * The bank has answered for some of the file's entries; the workflow keeps asking for the rest.
   */
  PARTIALLY_ACKNOWLEDGED,
  /**
   * The bank has not answered for every entry of the file within the acknowledgement deadline: an
   * alert; the workflow keeps asking.
   */
  ACK_OVERDUE,
  /** Every payout of the file is paid or failed. */
  ACKNOWLEDGED,
  /**
   * The file will not be paid: it failed validation, the bank refused or rejected it, or no payout
   * could be written. Its payouts are failed and their amounts back in the merchants' balances.
   */
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
