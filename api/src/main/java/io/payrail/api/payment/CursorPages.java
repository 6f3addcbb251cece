package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stripe's list pagination over a merchant's objects, newest first, by keyset on (created_at, id):
 * stable while objects are being created, and as fast on page 1000 as on page 1. {@code
 * starting_after} pages forward from an object, {@code ending_before} back; one more row than the
 * limit tells {@code has_more}.
 */
public final class CursorPages {

  private CursorPages() {}

  public record Page<T>(List<T> data, boolean hasMore) {}

  /**
   * @param select selects the objects from {@code table} aliased {@code alias}
   * @param merchantId whose objects; null for every merchant's (staff listings)
   * @param where conditions on {@code alias} after the merchant's, each starting with " AND"
   */
  public static <T> Page<T> list(
      JdbcClient jdbc,
      String select,
      String table,
      String alias,
      String merchantId,
      String where,
      Map<String, Object> params,
      int limit,
      String startingAfter,
      String endingBefore,
      RowMapper<T> mapper) {
    StringBuilder sql = new StringBuilder(select).append(" WHERE ");
    Map<String, Object> all = new java.util.HashMap<>(params);
    if (merchantId == null) {
      sql.append("TRUE");
    } else {
      sql.append(alias).append(".merchant_id = :merchant");
      all.put("merchant", merchantId);
    }
    sql.append(where);
    boolean backwards = endingBefore != null;
    String cursor = backwards ? endingBefore : startingAfter;
    String key = "(" + alias + ".created_at, " + alias + ".id)";
    if (cursor != null) {
      Instant created =
          (merchantId == null
                  ? jdbc.sql("SELECT created_at FROM " + table + " WHERE id = ?").param(cursor)
                  : jdbc.sql(
                          "SELECT created_at FROM " + table + " WHERE merchant_id = ? AND id = ?")
                      .params(merchantId, cursor))
              .query(OffsetDateTime.class)
              .optional()
              .map(OffsetDateTime::toInstant)
              .orElseThrow(
                  () ->
                      ApiException.invalid(
                          backwards ? "ending_before" : "starting_after",
                          "resource_missing",
                          "No such object: " + cursor));
      sql.append(" AND ").append(key).append(backwards ? " > " : " < ").append("(:cc, :ci)");
      all.put("cc", OffsetDateTime.ofInstant(created, ZoneOffset.UTC));
      all.put("ci", cursor);
    }
    String order = backwards ? "" : " DESC";
    sql.append(" ORDER BY ")
        .append(alias)
        .append(".created_at")
        .append(order)
        .append(", ")
        .append(alias)
        .append(".id")
        .append(order)
        .append(" LIMIT :limit");
    all.put("limit", limit + 1);
    List<T> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(all).query(mapper).list());
    boolean hasMore = rows.size() > limit;
    if (hasMore) {
      rows.removeLast();
    }
    if (backwards) {
      Collections.reverse(rows);
    }
    return new Page<>(rows, hasMore);
  }

  /** Checks the common list parameters, naming the one that is wrong. */
  public static void check(int limit, String startingAfter, String endingBefore) {
    if (limit < 1 || limit > 100) {
      throw ApiException.invalid("limit", "parameter_invalid", "limit must be between 1 and 100");
    }
    if (startingAfter != null && endingBefore != null) {
      throw ApiException.invalid(
          "ending_before", "parameter_invalid", "Send starting_after or ending_before, not both");
    }
  }
}
