package io.payrail.activities.settlement.payout;

import com.prowidesoftware.swift.model.mx.MxPain00100109;
import com.prowidesoftware.swift.model.mx.dic.AccountIdentification4Choice;
import com.prowidesoftware.swift.model.mx.dic.ActiveOrHistoricCurrencyAndAmount;
import com.prowidesoftware.swift.model.mx.dic.AmountType4Choice;
import com.prowidesoftware.swift.model.mx.dic.BranchAndFinancialInstitutionIdentification6;
import com.prowidesoftware.swift.model.mx.dic.CashAccount38;
import com.prowidesoftware.swift.model.mx.dic.ChargeBearerType1Code;
import com.prowidesoftware.swift.model.mx.dic.CreditTransferTransaction34;
import com.prowidesoftware.swift.model.mx.dic.CustomerCreditTransferInitiationV09;
import com.prowidesoftware.swift.model.mx.dic.DateAndDateTime2Choice;
import com.prowidesoftware.swift.model.mx.dic.FinancialInstitutionIdentification18;
import com.prowidesoftware.swift.model.mx.dic.GroupHeader85;
import com.prowidesoftware.swift.model.mx.dic.PartyIdentification135;
import com.prowidesoftware.swift.model.mx.dic.PaymentIdentification6;
import com.prowidesoftware.swift.model.mx.dic.PaymentInstruction30;
import com.prowidesoftware.swift.model.mx.dic.PaymentMethod3Code;
import com.prowidesoftware.swift.model.mx.dic.PaymentTypeInformation26;
import com.prowidesoftware.swift.model.mx.dic.RemittanceInformation16;
import com.prowidesoftware.swift.model.mx.dic.ServiceLevel8Choice;
import io.payrail.workflows.settlement.payout.FileValidation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * SEPA credit transfers as ISO 20022 {@code pain.001.001.09}, built and read with Prowide's model
 * (pw-iso20022): one group header, one payment information block (service level SEPA, charges
 * SLEV), one transaction per payout. MsgId is the file id and EndToEndId the payout id (both
 * unique, at most 35 characters); NbOfTxs and CtrlSum are stated in the group header and the
 * payment information. The SEPA scheme caps a transfer at 999,999,999.99 EUR: a payout above is
 * refused.
 */
public final class Pain001Format implements PayoutFileFormat {

  /** The SEPA credit transfer scheme's largest amount, in cents. */
  static final long MAX_AMOUNT = 99_999_999_999L;

  /**
   * Transactions Payrail puts in one pain.001 file by default: about 1 KB each, so about 10 MB,
   * under the bank's 16 MiB upload limit.
   */
  static final int DEFAULT_MAX_ENTRIES = 10_000;

  private final PayoutFileProperties.Sepa sepa;
  private final int maxEntries;

  /**
   * @param maxEntries the most transactions in one file; payouts beyond are left out (and failed,
   *     to be paid the next day) by the file's generation
   */
  public Pain001Format(PayoutFileProperties.Sepa sepa, int maxEntries) {
    this.sepa = Objects.requireNonNull(sepa, "sepa");
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("a file holds at least one entry, not " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** CtrlSum is a decimal with 18 digits: any sum of representable amounts fits it. */
  @Override
  public boolean fits(int entries, long total) {
    return entries <= maxEntries;
  }

  @Override
  public String name() {
    return "pain.001.001.09";
  }

  @Override
  public String extension() {
    return "xml";
  }

  @Override
  public WrittenFile write(String fileId, OffsetDateTime createdAt, List<PayoutLine> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a pain.001 file needs at least one transaction");
    }
    if (!fits(lines.size(), 0)) {
      throw new UnrepresentablePayoutException(
          "the file's " + lines.size() + " transactions exceed " + maxEntries + " per file");
    }
    PaymentInstruction30 payments =
        new PaymentInstruction30()
            .setPmtInfId(fileId + "-1")
            .setPmtMtd(PaymentMethod3Code.TRF)
            .setPmtTpInf(
                new PaymentTypeInformation26().addSvcLvl(new ServiceLevel8Choice().setCd("SEPA")))
            .setReqdExctnDt(
                new DateAndDateTime2Choice()
                    .setDt(NachaFormat.effectiveDate(createdAt.toLocalDate())))
            .setDbtr(new PartyIdentification135().setNm(sepa.debtorName()))
            .setDbtrAcct(iban(sepa.debtorIban()))
            .setDbtrAgt(agent(sepa.debtorBic()))
            .setChrgBr(ChargeBearerType1Code.SLEV);
    Map<String, String> references = new LinkedHashMap<>();
    long total = 0;
    for (PayoutLine line : lines) {
      refusal(line)
          .ifPresent(
              reason -> {
                throw new UnrepresentablePayoutException(reason);
              });
      references.put(line.payoutId(), line.payoutId());
      total += line.amount();
      payments.addCdtTrfTxInf(
          new CreditTransferTransaction34()
              .setPmtId(
                  new PaymentIdentification6()
                      .setInstrId(line.payoutId())
                      .setEndToEndId(line.payoutId()))
              .setAmt(
                  new AmountType4Choice()
                      .setInstdAmt(
                          new ActiveOrHistoricCurrencyAndAmount()
                              .setCcy("EUR")
                              .setValue(euros(line.amount()))))
              .setCdtrAgt(agent(line.bankCode()))
              .setCdtr(new PartyIdentification135().setNm(truncate(line.accountHolder(), 70)))
              .setCdtrAcct(iban(line.account()))
              .setRmtInf(
                  new RemittanceInformation16().addUstrd("Payrail payout " + line.payoutId())));
    }
    String count = Integer.toString(lines.size());
    payments.setNbOfTxs(count).setCtrlSum(euros(total));
    MxPain00100109 message =
        new MxPain00100109()
            .setCstmrCdtTrfInitn(
                new CustomerCreditTransferInitiationV09()
                    .setGrpHdr(
                        new GroupHeader85()
                            .setMsgId(fileId)
                            .setCreDtTm(createdAt.withNano(0))
                            .setNbOfTxs(count)
                            .setCtrlSum(euros(total))
                            .setInitgPty(new PartyIdentification135().setNm(sepa.debtorName())))
                    .addPmtInf(payments));
    return new WrittenFile(message.document().getBytes(StandardCharsets.UTF_8), fileId, references);
  }

  @Override
  public FileValidation check(
      byte[] bytes, List<PayoutLine> expected, String control, Map<String, String> references) {
    CustomerCreditTransferInitiationV09 initiation;
    try {
      MxPain00100109 message = MxPain00100109.parse(new String(bytes, StandardCharsets.UTF_8));
      initiation = message == null ? null : message.getCstmrCdtTrfInitn();
    } catch (RuntimeException e) {
      initiation = null;
    }
    if (initiation == null || initiation.getGrpHdr() == null) {
      return FileValidation.failed("not a pain.001.001.09 document");
    }
    try {
      return check(initiation, expected, control, references);
    } catch (NullPointerException e) {
      // The schema's mandatory elements are not checked by the parser: a missing one lands here.
      return FileValidation.failed("the pain.001 document lacks a mandatory element");
    }
  }

  private static FileValidation check(
      CustomerCreditTransferInitiationV09 initiation,
      List<PayoutLine> expected,
      String control,
      Map<String, String> references) {
    Checks checks = new Checks();
    GroupHeader85 header = initiation.getGrpHdr();
    checks.equal("group header MsgId", header.getMsgId(), control);
    int count = 0;
    BigDecimal sum = BigDecimal.ZERO;
    Set<String> endToEndIds = new HashSet<>();
    Set<String> instructionIds = new HashSet<>();
    Map<String, CreditTransferTransaction34> byEndToEndId = new HashMap<>();
    for (PaymentInstruction30 payments : initiation.getPmtInf()) {
      int blockCount = payments.getCdtTrfTxInf().size();
      BigDecimal blockSum = BigDecimal.ZERO;
      for (CreditTransferTransaction34 transfer : payments.getCdtTrfTxInf()) {
        String endToEndId = transfer.getPmtId().getEndToEndId();
        checks.isTrue("EndToEndId uniqueness", endToEndIds.add(endToEndId));
        checks.isTrue("InstrId uniqueness", instructionIds.add(transfer.getPmtId().getInstrId()));
        checks.equal("currency of " + endToEndId, transfer.getAmt().getInstdAmt().getCcy(), "EUR");
        byEndToEndId.put(endToEndId, transfer);
        blockSum = blockSum.add(transfer.getAmt().getInstdAmt().getValue());
      }
      checks.equal(
          "payment information " + payments.getPmtInfId() + " NbOfTxs",
          payments.getNbOfTxs(),
          Integer.toString(blockCount));
      checks.equal(
          "payment information " + payments.getPmtInfId() + " CtrlSum",
          scaled(payments.getCtrlSum()),
          scaled(blockSum));
      count += blockCount;
      sum = sum.add(blockSum);
    }
    checks.equal("group header NbOfTxs", header.getNbOfTxs(), Integer.toString(count));
    checks.equal("group header CtrlSum", scaled(header.getCtrlSum()), scaled(sum));
    checks.equal("transaction count against the payouts", count, expected.size());
    checks.equal(
        "control sum against the payouts",
        scaled(sum),
        euros(expected.stream().mapToLong(PayoutLine::amount).sum()));
    for (PayoutLine payout : expected) {
      CreditTransferTransaction34 transfer = byEndToEndId.get(references.get(payout.payoutId()));
      if (transfer == null) {
        checks.fail("transaction of payout " + payout.payoutId() + " is missing");
        continue;
      }
      checks.equal(
          "amount of payout " + payout.payoutId(),
          scaled(transfer.getAmt().getInstdAmt().getValue()),
          euros(payout.amount()));
      checks.equal(
          "BIC of payout " + payout.payoutId(),
          transfer.getCdtrAgt().getFinInstnId().getBICFI(),
          payout.bankCode());
      checks.isTrue(
          "IBAN of payout " + payout.payoutId(),
          payout.account().equals(transfer.getCdtrAcct().getId().getIBAN()));
    }
    return checks.result();
  }

  @Override
  public Optional<String> refusal(PayoutLine line) {
    if (line.amount() > MAX_AMOUNT) {
      return Optional.of(
          "payout "
              + line.payoutId()
              + " of "
              + line.amount()
              + " cents exceeds the SEPA credit transfer limit (999999999.99 EUR)");
    }
    if (!line.account().matches("[A-Z]{2}\\d{2}[A-Z0-9]{11,30}")) {
      return Optional.of("payout " + line.payoutId() + " has no IBAN pain.001 can carry");
    }
    if (line.accountHolder().isBlank()) {
      return Optional.of("payout " + line.payoutId() + " has a blank account holder name");
    }
    return Optional.empty();
  }

  private static CashAccount38 iban(String iban) {
    return new CashAccount38().setId(new AccountIdentification4Choice().setIBAN(iban));
  }

  private static BranchAndFinancialInstitutionIdentification6 agent(String bic) {
    return new BranchAndFinancialInstitutionIdentification6()
        .setFinInstnId(new FinancialInstitutionIdentification18().setBICFI(bic));
  }

  static BigDecimal euros(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** Two decimals; an amount with more (not a cent amount) is returned as it is, to mismatch. */
  private static BigDecimal scaled(BigDecimal amount) {
    try {
      return amount == null ? null : amount.setScale(2, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      return amount;
    }
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
