package io.payrail.platform.audit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an audited action changed: the fields it touched, as they were and as they became. Values
 * are what {@link CanonicalJson} takes. A secret or a card number never belongs here: a field whose
 * name says it holds one is refused, so a careless caller fails in its tests instead of writing a
 * secret into a log that can never be cleaned.
 *
 * @param before the fields before the action; empty when it created the object
 * @param after the fields after it; empty when it deleted the object
 */
public record AuditChanges(Map<String, Object> before, Map<String, Object> after) {

  /** Words of a snake_case field name that say it holds a secret or card data. */
  private static final Set<String> SECRET_WORDS =
      Set.of("secret", "password", "passphrase", "cvc", "cvv", "pan", "pin", "number");

  public AuditChanges {
    before = checked(before);
    after = checked(after);
  }

  /** An object created with these fields. */
  public static AuditChanges created(Map<String, ?> after) {
    return new AuditChanges(Map.of(), copy(after));
  }

  /** Fields that went from {@code before} to {@code after}. */
  public static AuditChanges of(Map<String, ?> before, Map<String, ?> after) {
    return new AuditChanges(copy(before), copy(after));
  }

  /** The canonical JSON hashed and stored: {@code {"after":{...},"before":{...}}}. */
  public String canonicalJson() {
    return CanonicalJson.encode(Map.of("before", before, "after", after));
  }

  private static Map<String, Object> copy(Map<String, ?> fields) {
    return new LinkedHashMap<>(fields);
  }

  private static Map<String, Object> checked(Map<String, Object> fields) {
    Map<String, Object> copy = new LinkedHashMap<>(fields);
    refuseSecrets(copy);
    // Encoding now fails at the call, with the caller on the stack, instead of at commit.
    CanonicalJson.encode(copy);
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** Every field name, at any depth. */
  private static void refuseSecrets(Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (field, nested) -> {
            refuseSecret(String.valueOf(field));
            refuseSecrets(nested);
          });
    } else if (value instanceof java.util.Collection<?> values) {
      values.forEach(AuditChanges::refuseSecrets);
    }
  }

  private static void refuseSecret(String field) {
    String name = field.toLowerCase(Locale.ROOT);
    if (Arrays.stream(name.split("_")).anyMatch(SECRET_WORDS::contains)
        || name.contains("private_key")) {
      throw new IllegalArgumentException(
          "'" + field + "' names a secret or card data: the audit log must never hold one");
    }
  }
}
