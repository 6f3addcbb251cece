package io.payrail.activities.reconciliation;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An acquirer's settlement details report, read and checked: a header row naming the columns (in
 * any order; others are ignored), then one line per settled capture or refund. Every line must be
 * of the report's currency and day; a file that breaks any rule is refused whole, with the line
 * number, since half a report would open false breaks.
 *
 * @param lines in file order
 */
record ReportFile(String currency, LocalDate date, List<Line> lines) {

  static final List<String> COLUMNS =
      List.of("reference", "type", "currency", "gross", "fee", "net", "batch", "settled_date");

  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern BATCH = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** One report line. {@code lineNo} counts data lines from 1. */
  record Line(
      int lineNo,
      String reference,
      String type,
      long gross,
      long fee,
      long net,
      String batch,
      LocalDate settledDate) {}

  /** A file that is not a settlement report of the expected currency and day. */
  static final class MalformedReportException extends RuntimeException {
    MalformedReportException(String message) {
      super(message);
    }
  }

  long totalGross() {
    return lines.stream().mapToLong(Line::gross).sum();
  }

  long totalFee() {
    return lines.stream().mapToLong(Line::fee).sum();
  }

  long totalNet() {
    return lines.stream().mapToLong(Line::net).sum();
  }

  static ReportFile parse(byte[] file, String currency, LocalDate date) {
    List<String> rows = new String(file, StandardCharsets.UTF_8).lines().toList();
    if (rows.isEmpty()) {
      throw new MalformedReportException("the report is empty: no header row");
    }
    Map<String, Integer> column = new HashMap<>();
    String[] header = rows.getFirst().strip().split(",", -1);
    for (int i = 0; i < header.length; i++) {
      column.put(header[i].strip(), i);
    }
    for (String name : COLUMNS) {
      if (!column.containsKey(name)) {
        throw new MalformedReportException("the header has no column " + name);
      }
    }
    List<Line> lines = new ArrayList<>();
    for (int row = 1; row < rows.size(); row++) {
      if (rows.get(row).isBlank()) {
        continue;
      }
      lines.add(line(lines.size() + 1, rows.get(row).split(",", -1), column, currency, date));
    }
    return new ReportFile(currency, date, List.copyOf(lines));
  }

  private static Line line(
      int lineNo, String[] cells, Map<String, Integer> column, String currency, LocalDate date) {
    if (cells.length < column.size()) {
      throw malformed(lineNo, "has " + cells.length + " cells, the header " + column.size());
    }
    String reference = cell(cells, column, "reference");
    if (!REFERENCE.matcher(reference).matches()) {
      throw malformed(lineNo, "reference: 1-128 of [A-Za-z0-9_.:-]");
    }
    String type = cell(cells, column, "type");
    if (!type.equals("capture") && !type.equals("refund")) {
      throw malformed(lineNo, "type: capture or refund");
    }
    if (!cell(cells, column, "currency").equals(currency)) {
      throw malformed(lineNo, "currency: not the report's " + currency);
    }
    long gross = amount(cells, column, "gross", lineNo);
    long fee = amount(cells, column, "fee", lineNo);
    long net = amount(cells, column, "net", lineNo);
    if (gross <= 0 || fee < 0) {
      throw malformed(lineNo, "gross must be positive and fee not negative");
    }
    String batch = cell(cells, column, "batch");
    if (!BATCH.matcher(batch).matches()) {
      throw malformed(lineNo, "batch: 1-64 of [A-Za-z0-9_.:-]");
    }
    LocalDate settled;
    try {
      settled = LocalDate.parse(cell(cells, column, "settled_date"));
    } catch (DateTimeException e) {
      throw malformed(lineNo, "settled_date: YYYY-MM-DD");
    }
    if (!settled.equals(date)) {
      throw malformed(lineNo, "settled_date: not the report's day " + date);
    }
    return new Line(lineNo, reference, type, gross, fee, net, batch, settled);
  }

  private static String cell(String[] cells, Map<String, Integer> column, String name) {
    return cells[column.get(name)].strip();
  }

  private static long amount(String[] cells, Map<String, Integer> column, String name, int line) {
    try {
      return Long.parseLong(cell(cells, column, name));
    } catch (NumberFormatException e) {
      throw malformed(line, name + ": an integer of minor units");
    }
  }

  private static MalformedReportException malformed(int lineNo, String problem) {
    return new MalformedReportException("report line " + lineNo + " " + problem);
  }
}
