package io.payrail.workflows.settlement.payout;

/**
 * A file the bank has received.
 *
 * @param bankFileId the bank's id of the file, to ask for its acknowledgement
 */
public record Transmission(String bankFileId) {}
