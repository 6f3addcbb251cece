package io.payrail.platform.refund;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads refunds as {@link RefundObject}s: for the API's responses and for refund events. */
public final class RefundReads {

  /** Selects every column {@link #map} reads, from {@code refunds r}. */
  public static final String SELECT =
      """
      SELECT r.id, r.payment_id, r.amount, r.currency, r.status, r.reason, r.failure_code,
             r.metadata::text AS metadata, r.created_at
      FROM refunds r
      """;

  private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  public RefundReads(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The merchant's refund; another merchant's id reads exactly as an unknown one. */
  public Optional<RefundObject> find(String merchantId, String refundId) {
    return jdbc.sql(SELECT + " WHERE r.merchant_id = ? AND r.id = ?")
        .params(merchantId, refundId)
        .query(this::map)
        .optional();
  }

  public RefundObject map(ResultSet row, int rowNumber) throws SQLException {
    return new RefundObject(
        row.getString("id"),
        "refund",
        row.getString("payment_id"),
        row.getLong("amount"),
        row.getString("currency").toLowerCase(Locale.ROOT),
        row.getString("status"),
        row.getString("reason"),
        row.getString("failure_code"),
        json.readValue(row.getString("metadata"), METADATA),
        row.getObject("created_at", OffsetDateTime.class).toEpochSecond());
  }
}
