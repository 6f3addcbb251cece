package io.payrail.platform.audit;

import java.util.Objects;

/**
 * What an audited action was done to.
 *
 * @param type the object's kind as the API names it: {@code merchant}, {@code api_key}, {@code
 *     webhook_endpoint}, {@code webhook_delivery}...
 * @param id the object's id
 */
public record AuditTarget(String type, String id) {

  public AuditTarget {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
  }

  public static AuditTarget of(String type, String id) {
    return new AuditTarget(type, id);
  }
}
