package io.payrail.activities.settlement.payout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a NACHA ACH file strictly: every line exactly 94 characters, records in the order 1, (5,
 * 6..., 8)..., 9, then only 9-filled padding; numeric fields numeric. It recomputes nothing: {@link
 * NachaFormat#check} compares what the control records state with the entries.
 */
public final class NachaReader {

  static final int RECORD_LENGTH = 94;
  static final String PADDING = "9".repeat(RECORD_LENGTH);

  private NachaReader() {}

  public static NachaFile read(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].length() != RECORD_LENGTH) {
        throw new PayoutFileFormatException(
            "record length: line " + (i + 1) + " has " + lines[i].length() + " characters, not 94");
      }
    }
    Cursor cursor = new Cursor(lines);
    String header = cursor.expect('1', "file header");
    List<NachaFile.Batch> batches = new ArrayList<>();
    while (cursor.peek() == '5') {
      batches.add(batch(cursor));
    }
    String fileControl = cursor.expect('9', "file control");
    while (cursor.hasNext()) {
      String line = cursor.next();
      if (!line.equals(PADDING)) {
        throw new PayoutFileFormatException(
            "blocking: line "
                + cursor.position
                + " after the file control is not 9-filled padding");
      }
    }
    return new NachaFile(
        field(header, 4, 13).strip(),
        field(header, 14, 23).strip(),
        List.copyOf(batches),
        new NachaFile.FileControl(
            number(fileControl, 2, 7, "file control batch count", cursor),
            number(fileControl, 8, 13, "file control block count", cursor),
            number(fileControl, 14, 21, "file control entry count", cursor),
            longNumber(fileControl, 22, 31, "file control entry hash"),
            longNumber(fileControl, 32, 43, "file control debit total"),
            longNumber(fileControl, 44, 55, "file control credit total")),
        lines.length);
  }

  private static NachaFile.Batch batch(Cursor cursor) {
    String header = cursor.expect('5', "batch header");
    List<NachaFile.Entry> entries = new ArrayList<>();
    while (cursor.peek() == '6') {
      String entry = cursor.next();
      if (entry.charAt(78) != '0') {
        throw new PayoutFileFormatException(
            "line " + cursor.position + ": addenda records are not part of Payrail's files");
      }
      entries.add(
          new NachaFile.Entry(
              field(entry, 2, 3),
              digits(entry, 4, 12, "entry routing number", cursor),
              field(entry, 13, 29).strip(),
              longNumber(entry, 30, 39, "entry amount"),
              field(entry, 40, 54).strip(),
              field(entry, 55, 76).strip(),
              digits(entry, 80, 94, "entry trace number", cursor)));
    }
    String control = cursor.expect('8', "batch control");
    return new NachaFile.Batch(
        field(header, 2, 4),
        field(header, 51, 53),
        field(header, 41, 50).strip(),
        field(header, 88, 94),
        List.copyOf(entries),
        number(control, 5, 10, "batch control entry count", cursor),
        longNumber(control, 11, 20, "batch control entry hash"),
        longNumber(control, 21, 32, "batch control debit total"),
        longNumber(control, 33, 44, "batch control credit total"));
  }

  /** Characters {@code from} to {@code to}, 1-based and inclusive, as NACHA numbers positions. */
  static String field(String line, int from, int to) {
    return line.substring(from - 1, to);
  }

  private static String digits(String line, int from, int to, String name, Cursor cursor) {
    String value = field(line, from, to);
    if (!value.chars().allMatch(Character::isDigit)) {
      throw new PayoutFileFormatException(name + " on line " + cursor.position + " is not numeric");
    }
    return value;
  }

  private static int number(String line, int from, int to, String name, Cursor cursor) {
    return Integer.parseInt(digits(line, from, to, name, cursor));
  }

  private static long longNumber(String line, int from, int to, String name) {
    String value = field(line, from, to);
    if (!value.chars().allMatch(Character::isDigit)) {
      throw new PayoutFileFormatException(name + " is not numeric");
    }
    return Long.parseLong(value);
  }

  private static final class Cursor {
    private final String[] lines;
    private int position;

    Cursor(String[] lines) {
      this.lines = lines;
    }

    boolean hasNext() {
      return position < lines.length;
    }

    char peek() {
      return hasNext() ? lines[position].charAt(0) : ' ';
    }

    String next() {
      return lines[position++];
    }

    String expect(char type, String name) {
      if (peek() != type) {
        throw new PayoutFileFormatException(
            "record order: line " + (position + 1) + " should be the " + name + " (" + type + ")");
      }
      return next();
    }
  }
}
