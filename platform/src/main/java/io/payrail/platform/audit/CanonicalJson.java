package io.payrail.platform.audit;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON text of a value that the audit log hashes: object keys sorted by their UTF-16 code
 * units, no whitespace, strings escaped as RFC 8785 (JCS) escapes them (only {@code "}, {@code \}
 * and control characters). Values are limited to what has a single spelling: null, booleans,
 * strings, integers, lists and string-keyed maps. A decimal has several ({@code 1.0}, {@code 1}),
 * so it is refused; amounts are integers of minor units anyway. What PostgreSQL cannot store (a
 * NUL, a lone surrogate) becomes U+FFFD.
 *
 * <pre>{@code
 * CanonicalJson.encode(Map.of("b", 1, "a", List.of("x", true)))  // {"a":["x",true],"b":1}
 * }</pre>
 */
public final class CanonicalJson {

  /**
   * What a lone surrogate or a NUL, which PostgreSQL cannot store, is written as: U+FFFD, so that
   * recording an action whose input held one never fails, and the stored text still hashes alike.
   */
  static final char REPLACEMENT = '\uFFFD';

  private CanonicalJson() {}

  /** JSON text already canonical (a stored record's changes), embedded as it is. */
  record Raw(String json) {}

  public static String encode(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case Raw raw -> out.append(raw.json());
      case Boolean b -> out.append(b);
      case String s -> string(out, s);
      case Long n -> out.append(n);
      case Integer n -> out.append(n);
      case Short n -> out.append(n);
      case Byte n -> out.append(n);
      case BigInteger n -> out.append(n);
      case Map<?, ?> map -> object(out, map);
      case Collection<?> list -> array(out, list);
      case Object[] array -> array(out, java.util.Arrays.asList(array));
      default ->
          throw new IllegalArgumentException(
              "no canonical JSON for a "
                  + value.getClass().getName()
                  + ": use a string or integer");
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    map.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            throw new IllegalArgumentException("JSON object keys are strings, not " + key);
          }
          sorted.put(name, value);
        });
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> entry : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, entry.getKey());
      out.append(':');
      write(out, entry.getValue());
    }
    out.append('}');
  }

  private static void array(StringBuilder out, Collection<?> values) {
    out.append('[');
    boolean first = true;
    for (Object value : values) {
      if (!first) {
        out.append(',');
      }
      first = false;
      write(out, value);
    }
    out.append(']');
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
        } else {
          // A lone surrogate has no UTF-8 form: PostgreSQL could not keep it as it is.
          out.append(REPLACEMENT);
        }
        continue;
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        // Neither PostgreSQL's text nor its jsonb can hold NUL.
        case '\0' -> out.append(REPLACEMENT);
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
