package io.payrail.banksim;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the simulated acquirer really settled, published per day and currency as a settlement
 * details report: one CSV line per capture and per refund it processed, named by the request id
 * Payrail sent (the reference Payrail's {@code settlement_items.bank_reference} holds).
 *
 * <p>The day of an operation is the UTC day of the bank's own clock when it processed it, not
 * Payrail's business day: reconciliation matches by reference, so an operation processed just
 * before midnight and recorded by Payrail just after still matches. The acquirer's fee is a
 * simulated interchange of {@value #FEE_BASIS_POINTS} basis points plus {@value #FEE_FIXED} minor
 * units per capture (half up), none on refunds; {@code net} is what the bank pays (capture: gross -
 * fee) or takes back (refund: -gross). The same day, currency and faults always give the same
 * bytes, so a report fetched twice has one SHA-256.
 *
 * <pre>
 * reference,type,currency,gross,fee,net,batch,settled_date
 * pay_...:capture,capture,USD,2500,48,2452,B20261124USD,2026-11-24
 * re_...:refund,refund,USD,500,0,-500,B20261124USD,2026-11-24
 * </pre>
 */
final class SettlementReports {

  static final String HEADER = "reference,type,currency,gross,fee,net,batch,settled_date";
  static final long FEE_BASIS_POINTS = 150;
  static final long FEE_FIXED = 10;

  private final Clock clock;
  private final Queue<Settled> settled = new ConcurrentLinkedQueue<>();
  private volatile ReportFaults faults = ReportFaults.NONE;

  SettlementReports(Clock clock) {
    this.clock = clock;
  }

  /** One settled operation. */
  private record Settled(
      String reference, String type, String currency, long gross, LocalDate day) {}

  /** One line of a report. */
  private record Line(String reference, String type, String currency, long gross, LocalDate day) {

    long fee() {
      return type.equals("capture") ? (gross * FEE_BASIS_POINTS + 5_000) / 10_000 + FEE_FIXED : 0;
    }

    long net() {
      return type.equals("capture") ? gross - fee() : -gross;
    }

    String csv() {
      return String.join(
          ",",
          reference,
          type,
          currency,
          Long.toString(gross),
          Long.toString(fee()),
          Long.toString(net()),
          batch(currency, day),
          day.toString());
    }
  }

  /**
   * Books what a capture or refund settled, when the bank answered it with success; anything else
   * settled nothing. Called once per request id (inside {@link Bank#once}).
   */
  BankOutcome settling(String reference, String type, BankOutcome outcome) {
    if (outcome.status() == 200) {
      Object amount =
          outcome.body().get(type.equals("capture") ? "captured_amount" : "refund_amount");
      settled.add(
          new Settled(
              reference,
              type,
              (String) outcome.body().get("currency"),
              ((Number) amount).longValue(),
              LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
    }
    return outcome;
  }

  /** The report of {@code day} in {@code currency}, with the current faults, as CSV text. */
  String csv(LocalDate day, String currency) {
    List<Line> truth =
        settled.stream()
            .filter(s -> s.day().equals(day) && s.currency().equals(currency))
            .map(s -> new Line(s.reference(), s.type(), s.currency(), s.gross(), s.day()))
            .sorted(Comparator.comparing(Line::reference))
            .toList();
    ReportFaults f = faults;
    List<Line> lines = new ArrayList<>();
    int altered = f.drop() + f.alterAmount();
    int duplicated = altered + f.duplicate();
    for (int i = 0; i < truth.size(); i++) {
      Line line = truth.get(i);
      if (i < f.drop()) {
        continue;
      }
      if (i < altered) {
        line =
            new Line(
                line.reference(),
                line.type(),
                currency,
                line.gross() + ReportFaults.ALTERATION,
                day);
      }
      lines.add(line);
      if (i >= altered && i < duplicated) {
        lines.add(line);
      }
    }
    for (int i = 1; i <= f.extra(); i++) {
      String reference =
          "sim-extra-" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + i + ":capture";
      lines.add(new Line(reference, "capture", currency, 1_000L + i, day));
    }
    lines.sort(Comparator.comparing(Line::reference));
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    lines.forEach(line -> csv.append(line.csv()).append('\n'));
    return csv.toString();
  }

  ReportFaults faults() {
    return faults;
  }

  void setFaults(ReportFaults faults) {
    this.faults = faults;
  }

  void reset() {
    settled.clear();
    faults = ReportFaults.NONE;
  }

  /** The simulator settles each currency's day in one batch. */
  static String batch(String currency, LocalDate day) {
    return "B" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + currency;
  }
}
