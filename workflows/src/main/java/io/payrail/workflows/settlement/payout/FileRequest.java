package io.payrail.workflows.settlement.payout;

import java.util.Objects;

/**
 * What {@link PayoutFileActivities#generateFile} needs to write a run's file for one rail: ids and
 * the workflow's time, never rows. Everything that goes into the file's bytes comes from here or
 * from the database, so a retried generation writes the same bytes.
 *
 * @param fileId {@code pf_} and 24 base-62 characters, chosen by the workflow
 * @param runId the settlement run whose pending payouts of {@code rail} the file carries
 * @param rail {@code ach} or {@code sepa}
 * @param currency the run's currency, {@code USD} for ACH, {@code EUR} for SEPA
 * @param businessDate the run's business date, ISO
 * @param createdAtMillis the workflow's time when it asked: the file's creation date and time
 */
public record FileRequest(
    String fileId,
    long runId,
    String rail,
    String currency,
    String businessDate,
    long createdAtMillis) {

  public FileRequest {
    Objects.requireNonNull(fileId, "fileId");
    Objects.requireNonNull(rail, "rail");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(businessDate, "businessDate");
  }
}
