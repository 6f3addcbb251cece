package io.payrail.activities.settlement.payout;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * NACHA ACH credits, written by hand: no maintained Java library exists. One file, one batch of CCD
 * credits to checking accounts (transaction code 22), 94-character records, blocking factor 10
 * (padded with 9-filled records), entry hash and totals in the batch and file control records.
 *
 * <p>Trace number = the ODFI's 8 digits + a 7-digit sequence (1, 2, ... in payout id order): unique
 * within the file, and how the bank's returns name an entry. Amounts are cents in a 10-digit field:
 * a payout over $99,999,999.99 is refused, never truncated. The entry hash is the sum of the
 * entries' first 8 routing digits, keeping its last 10 digits.
 */
public final class NachaFormat implements PayoutFileFormat {

  /** The largest amount the entry detail's 10-digit amount field holds. */
  static final long MAX_ENTRY_AMOUNT = 9_999_999_999L;

  /** The largest total the 12-digit control total fields hold. */
  static final long MAX_TOTAL = 999_999_999_999L;

  /**
   * Entries Payrail puts in one NACHA file by default: 9.5 MB of 94-character records, under the
   * bank's 16 MiB upload limit (the format's own fields would hold millions).
   */
  static final int DEFAULT_MAX_ENTRIES = 100_000;

  static final long ENTRY_HASH_MODULUS = 10_000_000_000L;
  static final String CHECKING_CREDIT = "22";

  /** The entry detail's individual name field. */
  static final int NAME_WIDTH = 22;

  static final String SEC_CODE = "CCD";
  static final String CREDITS_ONLY = "220";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

  private final PayoutFileProperties.Ach ach;
  private final int maxEntries;

  /**
   * @param maxEntries the most entries in one file; payouts beyond are left out (and failed, to be
   *     paid the next day) by the file's generation
   */
  public NachaFormat(PayoutFileProperties.Ach ach, int maxEntries) {
    this.ach = Objects.requireNonNull(ach, "ach");
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("a file holds at least one entry, not " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public boolean fits(int entries, long total) {
    return entries <= maxEntries && total <= MAX_TOTAL;
  }

  @Override
  public String name() {
    return "nacha";
  }

  @Override
  public String extension() {
    return "ach";
  }

  @Override
  public WrittenFile write(String fileId, OffsetDateTime createdAt, List<PayoutLine> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a NACHA file needs at least one entry");
    }
    OffsetDateTime local = createdAt.atZoneSameInstant(ach.timeZone()).toOffsetDateTime();
    StringBuilder file = new StringBuilder();
    append(file, fileHeader(local));
    append(file, batchHeader(local));
    Map<String, String> traces = new LinkedHashMap<>();
    long entryHash = 0;
    long total = 0;
    int sequence = 0;
    if (!fits(lines.size(), lines.stream().mapToLong(PayoutLine::amount).sum())) {
      throw new UnrepresentablePayoutException(
          "the file's "
              + lines.size()
              + " entries exceed "
              + maxEntries
              + " entries or the NACHA control total field (12 digits, "
              + MAX_TOTAL
              + " cents): split the payouts over several files");
    }
    for (PayoutLine line : lines) {
      refusal(line)
          .ifPresent(
              reason -> {
                throw new UnrepresentablePayoutException(reason);
              });
      String trace = ach.odfi() + zeros(++sequence, 7);
      traces.put(line.payoutId(), trace);
      append(file, entry(line, trace));
      entryHash =
          (entryHash + Long.parseLong(line.bankCode().substring(0, 8))) % ENTRY_HASH_MODULUS;
      total += line.amount();
    }
    append(file, batchControl(sequence, entryHash, total));
    int records = sequence + 4;
    int blocks = (records + 9) / 10;
    append(file, fileControl(blocks, sequence, entryHash, total));
    for (int i = records; i < blocks * 10; i++) {
      append(file, NachaReader.PADDING);
    }
    return new WrittenFile(
        file.toString().getBytes(StandardCharsets.US_ASCII), zeros(entryHash, 10), traces);
  }

  @Override
  public FileValidation check(
      byte[] bytes, List<PayoutLine> expected, String control, Map<String, String> references) {
    NachaFile file;
    try {
      file = NachaReader.read(bytes);
    } catch (PayoutFileFormatException e) {
      return FileValidation.failed(e.getMessage());
    }
    Checks checks = new Checks();
    checks.equal("file line count modulo the blocking factor", file.lineCount() % 10, 0);
    checks.equal("file control block count", file.control().blockCount(), file.lineCount() / 10);
    checks.equal("file control batch count", file.control().batchCount(), file.batches().size());
    int entries = 0;
    long entryHash = 0;
    long credits = 0;
    Set<String> traces = new HashSet<>();
    Map<String, NachaFile.Entry> byTrace = new HashMap<>();
    for (NachaFile.Batch batch : file.batches()) {
      checks.equal("batch service class code", batch.serviceClassCode(), CREDITS_ONLY);
      checks.equal("batch SEC code", batch.secCode(), SEC_CODE);
      long batchHash = 0;
      long batchCredits = 0;
      for (NachaFile.Entry entry : batch.entries()) {
        checks.equal("entry transaction code", entry.transactionCode(), CHECKING_CREDIT);
        checks.isTrue("trace number uniqueness", traces.add(entry.traceNumber()));
        byTrace.put(entry.traceNumber(), entry);
        batchHash += entry.rdfiIdentification();
        batchCredits += entry.amount();
      }
      checks.equal("batch control entry count", batch.statedEntryCount(), batch.entries().size());
      checks.equal(
          "batch control entry hash", batch.statedEntryHash(), batchHash % ENTRY_HASH_MODULUS);
      checks.equal("batch control debit total", batch.statedDebitTotal(), 0L);
      checks.equal("batch control credit total", batch.statedCreditTotal(), batchCredits);
      entries += batch.entries().size();
      entryHash += batchHash;
      credits += batchCredits;
    }
    entryHash %= ENTRY_HASH_MODULUS;
    checks.equal("file control entry count", file.control().entryCount(), entries);
    checks.equal("file control entry hash", file.control().entryHash(), entryHash);
    checks.equal("file control debit total", file.control().debitTotal(), 0L);
    checks.equal("file control credit total", file.control().creditTotal(), credits);
    checks.equal("recorded entry hash", control, zeros(entryHash, 10));
    checks.equal("entry count against the payouts", entries, expected.size());
    checks.equal(
        "credit total against the payouts",
        credits,
        expected.stream().mapToLong(PayoutLine::amount).sum());
    for (PayoutLine payout : expected) {
      NachaFile.Entry entry = byTrace.get(references.get(payout.payoutId()));
      if (entry == null) {
        checks.fail("entry of payout " + payout.payoutId() + " is missing");
        continue;
      }
      checks.equal("amount of payout " + payout.payoutId(), entry.amount(), payout.amount());
      checks.equal(
          "routing number of payout " + payout.payoutId(),
          entry.routingNumber(),
          payout.bankCode());
      // Compared, never printed: the message names the payout, not the account.
      checks.isTrue(
          "account of payout " + payout.payoutId(), entry.account().equals(payout.account()));
    }
    return checks.result();
  }

  @Override
  public Optional<String> refusal(PayoutLine line) {
    if (line.amount() > MAX_ENTRY_AMOUNT) {
      return Optional.of(
          "payout "
              + line.payoutId()
              + " of "
              + line.amount()
              + " cents exceeds the NACHA entry amount field (10 digits, at most "
              + MAX_ENTRY_AMOUNT
              + ")");
    }
    if (!line.bankCode().matches("\\d{9}")) {
      return Optional.of("payout " + line.payoutId() + " has no 9-digit routing number");
    }
    if (!line.account().matches("[0-9A-Z]{1,17}")) {
      return Optional.of(
          "payout "
              + line.payoutId()
              + " has an account NACHA cannot carry (1 to 17 digits or capital letters)");
    }
    if (alpha(line.accountHolder(), NAME_WIDTH).isBlank()) {
      return Optional.of(
          "payout "
              + line.payoutId()
              + " has an account holder name with no character NACHA can carry (ASCII)");
    }
    return Optional.empty();
  }

  private String fileHeader(OffsetDateTime local) {
    return "1"
        + "01"
        + " "
        + ach.immediateDestination()
        + ach.immediateOrigin()
        + local.format(DATE)
        + local.format(TIME)
        + "A"
        + "094"
        + "10"
        + "1"
        + alpha(ach.immediateDestinationName(), 23)
        + alpha(ach.immediateOriginName(), 23)
        + alpha("", 8);
  }

  private String batchHeader(OffsetDateTime local) {
    return "5"
        + CREDITS_ONLY
        + alpha(ach.companyName(), 16)
        + alpha("", 20)
        + alpha(ach.companyId(), 10)
        + SEC_CODE
        + alpha("PAYOUT", 10)
        + local.format(DATE)
        + effectiveDate(local.toLocalDate()).format(DATE)
        + "   "
        + "1"
        + ach.odfi()
        + zeros(1, 7);
  }

  private static String entry(PayoutLine line, String trace) {
    return "6"
        + CHECKING_CREDIT
        + line.bankCode()
        + alpha(line.account(), 17)
        + zeros(line.amount(), 10)
        + alpha("", 15)
        + alpha(line.accountHolder(), NAME_WIDTH)
        + "  "
        + "0"
        + trace;
  }

  private String batchControl(int entries, long entryHash, long total) {
    return "8"
        + CREDITS_ONLY
        + zeros(entries, 6)
        + zeros(entryHash, 10)
        + zeros(0, 12)
        + zeros(total, 12)
        + alpha(ach.companyId(), 10)
        + alpha("", 19)
        + alpha("", 6)
        + ach.odfi()
        + zeros(1, 7);
  }

  private static String fileControl(int blocks, int entries, long entryHash, long total) {
    return "9"
        + zeros(1, 6)
        + zeros(blocks, 6)
        + zeros(entries, 8)
        + zeros(entryHash, 10)
        + zeros(0, 12)
        + zeros(total, 12)
        + alpha("", 39);
  }

  /** The next weekday: ACH settles on banking days (holidays are the ODFI's to roll). */
  static LocalDate effectiveDate(LocalDate created) {
    LocalDate date = created.plusDays(1);
    while (date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY) {
      date = date.plusDays(1);
    }
    return date;
  }

  private static void append(StringBuilder file, String record) {
    if (record.length() != NachaReader.RECORD_LENGTH) {
      throw new IllegalStateException(
          "a record of " + record.length() + " characters: " + record.charAt(0));
    }
    file.append(record).append('\n');
  }

  static String zeros(long value, int width) {
    String digits = Long.toString(value);
    if (value < 0 || digits.length() > width) {
      throw new IllegalArgumentException(value + " does not fit " + width + " digits");
    }
    return "0".repeat(width - digits.length()) + digits;
  }

  /** Upper-case ASCII, accents dropped, padded or cut to {@code width}. */
  static String alpha(String value, int width) {
    String ascii =
        Normalizer.normalize(value, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .replaceAll("[^\\x20-\\x7E]", " ")
            .toUpperCase(Locale.ROOT);
    return ascii.length() >= width
        ? ascii.substring(0, width)
        : ascii + " ".repeat(width - ascii.length());
  }
}
