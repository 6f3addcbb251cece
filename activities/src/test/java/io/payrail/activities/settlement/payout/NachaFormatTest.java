package io.payrail.activities.settlement.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NACHA files written, read back and checked; corrupted ones refused, each by its total. */
class NachaFormatTest {

  private static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-11-25T03:15:00Z");
  private static final String FILE_ID = "pf_AAAAAAAAAAAAAAAAAAAAAAAA";

  private final NachaFormat nacha =
      new NachaFormat(PayoutFileProperties.Ach.SIMULATOR, NachaFormat.DEFAULT_MAX_ENTRIES);

  @Test
  void roundTrip_threePayouts_readsBackEveryFieldAndPassesTheCheck() {
    List<PayoutLine> lines =
        List.of(
            line(1, 150_000, "021000021", "12345678901"),
            line(2, 99, "011000015", "987650001"),
            line(3, 2_500_00, "091000019", "55501234"));

    WrittenFile written = nacha.write(FILE_ID, CREATED, lines);
    NachaFile file = NachaReader.read(written.bytes());

    assertThat(file.lineCount()).isEqualTo(10);
    assertThat(file.immediateDestination()).isEqualTo("011000015");
    NachaFile.Batch batch = file.batches().getFirst();
    assertThat(batch.secCode()).isEqualTo("CCD");
    assertThat(batch.entries())
        .extracting(NachaFile.Entry::amount)
        .containsExactly(150_000L, 99L, 250_000L);
    assertThat(batch.entries())
        .extracting(NachaFile.Entry::traceNumber)
        .containsExactly("011000010000001", "011000010000002", "011000010000003");
    assertThat(batch.entries().getFirst().transactionCode()).isEqualTo("22");
    assertThat(batch.entries().getFirst().name()).isEqualTo("MERCHANT 1 GMBH");
    // 02100002 + 01100001 + 09100001
    assertThat(written.control()).isEqualTo("0012300004");
    assertThat(file.control().entryHash()).isEqualTo(12_300_004L);
    assertThat(file.control().creditTotal()).isEqualTo(400_099L);
    assertThat(file.control().blockCount()).isEqualTo(1);
    assertThat(nacha.check(written.bytes(), lines, written.control(), written.references()))
        .isEqualTo(FileValidation.ok());
  }

  @Test
  void everyRecordIs94Characters_andTheFileIsPaddedToAMultipleOfTen() {
    for (int entries : new int[] {1, 6, 7, 16}) {
      List<PayoutLine> lines = new ArrayList<>();
      for (int i = 1; i <= entries; i++) {
        lines.add(line(i, 1000 + i, "021000021", "1234" + i));
      }
      String text =
          new String(nacha.write(FILE_ID, CREATED, lines).bytes(), StandardCharsets.US_ASCII);
      List<String> records = text.lines().toList();

      assertThat(records).allMatch(record -> record.length() == 94);
      assertThat(records.size() % 10).as("%d entries", entries).isZero();
      assertThat(records.size()).isEqualTo(((entries + 4 + 9) / 10) * 10);
      assertThat(records.get(entries + 3)).startsWith("9000001");
      assertThat(records.subList(entries + 4, records.size())).allMatch("9".repeat(94)::equals);
    }
  }

  @Test
  void entryHash_keepsTheLastTenDigits_whenTheSumOverflows() {
    List<PayoutLine> lines = new ArrayList<>();
    // 1,300 entries of 99999999 sum to 129,999,998,700: eleven digits.
    for (int i = 1; i <= 1_300; i++) {
      lines.add(line(i, 100, "999999995", "1" + i));
    }

    WrittenFile written = nacha.write(FILE_ID, CREATED, lines);

    assertThat(written.control()).isEqualTo("9999998700");
    assertThat(NachaReader.read(written.bytes()).control().entryHash()).isEqualTo(9_999_998_700L);
    assertThat(nacha.check(written.bytes(), lines, written.control(), written.references()).valid())
        .isTrue();
  }

  @Test
  void amountsUpToTheTenDigitField_areWritten_andOneCentMoreIsRefusedNotTruncated() {
    List<PayoutLine> largest = List.of(line(1, 9_999_999_999L, "021000021", "1"));
    WrittenFile written = nacha.write(FILE_ID, CREATED, largest);
    assertThat(NachaReader.read(written.bytes()).batches().getFirst().entries().getFirst().amount())
        .isEqualTo(9_999_999_999L);

    assertThatThrownBy(
            () ->
                nacha.write(FILE_ID, CREATED, List.of(line(2, 10_000_000_000L, "021000021", "1"))))
        .isInstanceOf(UnrepresentablePayoutException.class)
        .hasMessageContaining("po_2")
        .hasMessageContaining("10 digits");
  }

  @Test
  void refusal_namesWhatTheFormatCannotCarry_neverTheAccount() {
    assertThat(nacha.refusal(line(1, 5_000, "021000021", "12345678901"))).isEmpty();
    assertThat(nacha.refusal(line(2, 10_000_000_000L, "021000021", "1")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("po_2").contains("10 digits"));
    assertThat(nacha.refusal(line(3, 5_000, "02100002", "1")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("9-digit routing number"));
    assertThat(nacha.refusal(line(4, 5_000, "021000021", "123456789012345678")))
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("1 to 17").doesNotContain("123456789012345678"));
    assertThat(nacha.refusal(new PayoutLine("po_5", "mer_5", 5_000, "北京商店", "021000021", "123")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("ASCII"));
    assertThat(
            nacha.refusal(new PayoutLine("po_6", "mer_6", 5_000, "Zoë Café", "021000021", "123")))
        .as("accents are dropped, not refused")
        .isEmpty();
  }

  @Test
  void fits_theEntryLimitAndTheTwelveDigitTotal_andWriteRefusesAFileBeyond() {
    NachaFormat nacha = new NachaFormat(PayoutFileProperties.Ach.SIMULATOR, 3);
    assertThat(nacha.fits(3, NachaFormat.MAX_TOTAL)).isTrue();
    assertThat(nacha.fits(4, 1)).isFalse();
    assertThat(nacha.fits(1, NachaFormat.MAX_TOTAL + 1)).isFalse();
    List<PayoutLine> four =
        List.of(
            line(1, 1, "021000021", "1"),
            line(2, 1, "021000021", "2"),
            line(3, 1, "021000021", "3"),
            line(4, 1, "021000021", "4"));
    assertThatThrownBy(() -> nacha.write(FILE_ID, CREATED, four))
        .isInstanceOf(UnrepresentablePayoutException.class)
        .hasMessageContaining("4 entries exceed 3");
  }

  @Test
  void theEffectiveDate_isTheNextWeekday() {
    assertThat(NachaFormat.effectiveDate(java.time.LocalDate.parse("2026-11-27")))
        .isEqualTo("2026-11-30");
    assertThat(NachaFormat.effectiveDate(java.time.LocalDate.parse("2026-11-24")))
        .isEqualTo("2026-11-25");
  }

  @Test
  void corruptedAmount_isRefused_namingTheTotals_neverTheAccount() {
    List<PayoutLine> lines = List.of(line(1, 150_000, "021000021", "12345678901"));
    WrittenFile written = nacha.write(FILE_ID, CREATED, lines);
    byte[] corrupted = replaceInLine(written.bytes(), 3, 30, "0000150001");

    FileValidation validation =
        nacha.check(corrupted, lines, written.control(), written.references());

    assertThat(validation.valid()).isFalse();
    assertThat(validation.problem())
        .contains("batch control credit total 150000 != 150001")
        .contains("amount of payout po_1")
        .doesNotContain("12345678901");
  }

  @Test
  void corruptedAccount_isRefused_withoutPrintingIt() {
    List<PayoutLine> lines = List.of(line(1, 150_000, "021000021", "12345678901"));
    WrittenFile written = nacha.write(FILE_ID, CREATED, lines);
    byte[] corrupted = replaceInLine(written.bytes(), 3, 13, "12345678902");

    FileValidation validation =
        nacha.check(corrupted, lines, written.control(), written.references());

    assertThat(validation.problem())
        .isEqualTo("account of payout po_1 does not match")
        .doesNotContain("1234567890");
  }

  @Test
  void aShortRecord_aMissingPaddingLine_andAWrongEntryHash_areEachRefused() {
    List<PayoutLine> lines = List.of(line(1, 150_000, "021000021", "12345678901"));
    WrittenFile written = nacha.write(FILE_ID, CREATED, lines);
    String text = new String(written.bytes(), StandardCharsets.US_ASCII);

    List<String> records = new ArrayList<>(text.lines().toList());
    records.set(2, records.get(2).substring(0, 93));
    String shortRecord = String.join("\n", records) + "\n";
    assertThat(
            nacha
                .check(ascii(shortRecord), lines, written.control(), written.references())
                .problem())
        .startsWith("record length: line 3 has 93 characters");

    String unblocked = text.substring(0, text.length() - 95);
    assertThat(
            nacha.check(ascii(unblocked), lines, written.control(), written.references()).problem())
        .contains("file line count modulo the blocking factor 9 != 0");

    byte[] badHash = replaceInLine(written.bytes(), 4, 11, "0099999999");
    assertThat(nacha.check(badHash, lines, written.control(), written.references()).problem())
        .contains("batch control entry hash 99999999 != 2100002");
  }

  @Test
  void aFileMissingAPayout_orCarryingOneTwice_isRefused() {
    List<PayoutLine> lines =
        List.of(line(1, 100, "021000021", "111"), line(2, 200, "021000021", "222"));
    WrittenFile written = nacha.write(FILE_ID, CREATED, lines.subList(0, 1));

    FileValidation validation =
        nacha.check(written.bytes(), lines, written.control(), written.references());

    assertThat(validation.problem())
        .contains("entry count against the payouts 1 != 2")
        .contains("credit total against the payouts 100 != 300")
        .contains("entry of payout po_2 is missing");
  }

  static PayoutLine line(int n, long amount, String routing, String account) {
    return new PayoutLine(
        "po_" + n, "mer_" + n, amount, "Merchant " + n + " GmbH", routing, account);
  }

  /** Overwrites characters of one line (1-based line and position) with {@code value}. */
  private static byte[] replaceInLine(byte[] bytes, int line, int position, String value) {
    List<String> records =
        new ArrayList<>(new String(bytes, StandardCharsets.US_ASCII).lines().toList());
    String record = records.get(line - 1);
    records.set(
        line - 1,
        record.substring(0, position - 1)
            + value
            + record.substring(position - 1 + value.length()));
    return ascii(String.join("\n", records) + "\n");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
