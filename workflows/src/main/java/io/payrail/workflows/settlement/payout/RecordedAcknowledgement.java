package io.payrail.workflows.settlement.payout;

/**
 * What {@link PayoutFileActivities#recordFileAcknowledgement} made of the bank's answer: the
 * workflow ends only when no payout of the file is still in transit.
 *
 * @param fileStatus the file's status after the recording: {@code acknowledged} when every payout
 *     is paid or failed, {@code rejected} when the bank refused the whole file, {@code transmitted}
 *     while the bank still owes answers
 * @param outstanding the file's payouts still {@code in_transit}: the bank has not answered for
 *     them yet
 * @param unknown answer lines whose reference is no entry of the file (alerted and ignored)
 */
public record RecordedAcknowledgement(String fileStatus, int outstanding, int unknown) {

  public boolean complete() {
    return outstanding == 0;
  }
}
