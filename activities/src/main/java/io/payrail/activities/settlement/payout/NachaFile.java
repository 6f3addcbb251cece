package io.payrail.activities.settlement.payout;

import java.util.List;

/**
 * A NACHA ACH file as {@link NachaReader} parsed it: the numbers its control records state, beside
 * the entries they should sum up. Nothing here is recomputed; the check compares.
 *
 * @param lineCount every 94-character line, padding included
 */
public record NachaFile(
    String immediateDestination,
    String immediateOrigin,
    List<Batch> batches,
    FileControl control,
    int lineCount) {

  /** A credit entry (record 6). {@link #toString} masks the account. */
  public record Entry(
      String transactionCode,
      String routingNumber,
      String account,
      long amount,
      String identification,
      String name,
      String traceNumber) {

    /** The first 8 digits of the RDFI routing number, as the entry hash sums them. */
    public long rdfiIdentification() {
      return Long.parseLong(routingNumber.substring(0, 8));
    }

    @Override
    public String toString() {
      return "Entry[" + traceNumber + ", " + amount + "]";
    }
  }

  /** A batch: its header's fields, its entries, and what its control record (8) states. */
  public record Batch(
      String serviceClassCode,
      String secCode,
      String companyId,
      String batchNumber,
      List<Entry> entries,
      int statedEntryCount,
      long statedEntryHash,
      long statedDebitTotal,
      long statedCreditTotal) {}

  /** What the file control record (9) states. */
  public record FileControl(
      int batchCount,
      int blockCount,
      int entryCount,
      long entryHash,
      long debitTotal,
      long creditTotal) {}
}
