package io.payrail.activities.settlement.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.settlement.payout.FileValidation;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pain.001.001.09 files built with Prowide, parsed back and checked; corrupted ones refused. */
class Pain001FormatTest {

  private static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-11-25T03:15:00Z");
  private static final String FILE_ID = "pf_BBBBBBBBBBBBBBBBBBBBBBBB";
  private static final String IBAN_1 = "FR1420041010050500013M02606";
  private static final String IBAN_2 = "DE44500105175407324931";

  private final Pain001Format pain =
      new Pain001Format(PayoutFileProperties.Sepa.SIMULATOR, Pain001Format.DEFAULT_MAX_ENTRIES);
  private final List<PayoutLine> lines =
      List.of(
          new PayoutLine("po_1", "mer_1", 150_000, "Zoë Café SARL", "BNPAFRPPXXX", IBAN_1),
          new PayoutLine("po_2", "mer_2", 1, "Beispiel GmbH", "INGDDEFFXXX", IBAN_2));

  @Test
  void roundTrip_statesTheTotals_andPassesTheCheck() {
    WrittenFile written = pain.write(FILE_ID, CREATED, lines);
    String xml = new String(written.bytes(), StandardCharsets.UTF_8);

    assertThat(xml)
        .contains("urn:iso:std:iso:20022:tech:xsd:pain.001.001.09")
        .contains("<doc:MsgId>" + FILE_ID + "</doc:MsgId>")
        .contains("<doc:NbOfTxs>2</doc:NbOfTxs>")
        .contains("<doc:CtrlSum>1500.01</doc:CtrlSum>")
        .contains("<doc:EndToEndId>po_1</doc:EndToEndId>")
        .contains("Ccy=\"EUR\">0.01<")
        // Prowide writes non-ASCII as character references: the same name once parsed
        .contains("Zo&#235; Caf&#233; SARL");
    assertThat(written.control()).isEqualTo(FILE_ID);
    assertThat(written.references()).containsEntry("po_2", "po_2");
    assertThat(pain.check(written.bytes(), lines, written.control(), written.references()))
        .isEqualTo(FileValidation.ok());
  }

  @Test
  void corruptedControlSum_andAmount_areRefused_namingTheTotals() {
    WrittenFile written = pain.write(FILE_ID, CREATED, lines);
    String xml = new String(written.bytes(), StandardCharsets.UTF_8);
    byte[] corrupted =
        xml.replace("<doc:CtrlSum>1500.01</doc:CtrlSum>", "<doc:CtrlSum>1500.02</doc:CtrlSum>")
            .getBytes(StandardCharsets.UTF_8);

    FileValidation validation =
        pain.check(corrupted, lines, written.control(), written.references());

    assertThat(validation.valid()).isFalse();
    assertThat(validation.problem()).contains("group header CtrlSum 1500.02 != 1500.01");

    byte[] amount = xml.replace(">0.01<", ">0.10<").getBytes(StandardCharsets.UTF_8);
    assertThat(pain.check(amount, lines, written.control(), written.references()).problem())
        .contains("amount of payout po_2 0.10 != 0.01")
        .contains("group header CtrlSum 1500.01 != 1500.10");
  }

  @Test
  void aDuplicatedEndToEndId_aWrongIban_andAWrongCount_areRefused_withoutPrintingTheIban() {
    WrittenFile written = pain.write(FILE_ID, CREATED, lines);
    String xml = new String(written.bytes(), StandardCharsets.UTF_8);

    String duplicate =
        xml.replace(
            "<doc:EndToEndId>po_2</doc:EndToEndId>", "<doc:EndToEndId>po_1</doc:EndToEndId>");
    assertThat(check(duplicate, written).problem())
        .contains("EndToEndId uniqueness does not match")
        .contains("transaction of payout po_2 is missing");

    String iban = xml.replace(IBAN_2, "DE44500105175407324932");
    FileValidation wrongIban = check(iban, written);
    assertThat(wrongIban.problem()).isEqualTo("IBAN of payout po_2 does not match");
    assertThat(wrongIban.problem()).doesNotContain("DE44");

    String count = xml.replace("<doc:NbOfTxs>2</doc:NbOfTxs>", "<doc:NbOfTxs>3</doc:NbOfTxs>");
    assertThat(check(count, written).problem()).contains("group header NbOfTxs 3 != 2");

    assertThat(check("<Document>not a payment</Document>", written).valid()).isFalse();
  }

  @Test
  void theSchemesLargestAmount_isWritten_andOneCentMoreIsRefused() {
    PayoutLine largest =
        new PayoutLine("po_9", "mer_9", 99_999_999_999L, "Big", "BNPAFRPPXXX", IBAN_1);
    WrittenFile written = pain.write(FILE_ID, CREATED, List.of(largest));
    assertThat(new String(written.bytes(), StandardCharsets.UTF_8)).contains(">999999999.99<");

    PayoutLine over =
        new PayoutLine("po_10", "mer_9", 100_000_000_000L, "Big", "BNPAFRPPXXX", IBAN_1);
    assertThatThrownBy(() -> pain.write(FILE_ID, CREATED, List.of(over)))
        .isInstanceOf(UnrepresentablePayoutException.class)
        .hasMessageContaining("po_10");
  }

  @Test
  void refusalAndFits_leaveOutWhatOneFileCannotCarry() {
    assertThat(pain.refusal(new PayoutLine("po_1", "mer_1", 100, "Zoë", "BNPAFRPPXXX", IBAN_1)))
        .isEmpty();
    assertThat(
            pain.refusal(new PayoutLine("po_2", "mer_1", 100, "Zoë", "BNPAFRPPXXX", "FR14 2004")))
        .hasValueSatisfying(reason -> assertThat(reason).contains("po_2").contains("IBAN"));
    assertThat(pain.refusal(new PayoutLine("po_3", "mer_1", 100, "  ", "BNPAFRPPXXX", IBAN_1)))
        .hasValueSatisfying(reason -> assertThat(reason).contains("blank"));
    Pain001Format two = new Pain001Format(PayoutFileProperties.Sepa.SIMULATOR, 2);
    assertThat(two.fits(2, Long.MAX_VALUE)).isTrue();
    assertThat(two.fits(3, 1)).isFalse();
  }

  private FileValidation check(String xml, WrittenFile written) {
    return pain.check(
        xml.getBytes(StandardCharsets.UTF_8), lines, written.control(), written.references());
  }
}
