package io.payrail.platform.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads payments as {@link PaymentObject}s: for the API's responses and for payment events. */
public final class PaymentReads {

  /** Selects every column {@link #map} reads; append WHERE, ORDER BY and LIMIT clauses. */
  public static final String SELECT =
      """
      SELECT p.id, p.merchant_id, p.amount, p.amount_captured, p.amount_refunded, p.currency, p.status, p.capture_method,
             p.description, p.statement_descriptor, p.metadata::text AS metadata,
             p.customer_email, p.decline_code, p.failure_message, p.cancellation_reason,
             p.created_at, c.token, c.brand, c.bin, c.last4, c.exp_month, c.exp_year,
             c.fingerprint
      FROM payments p JOIN cards c ON c.token = p.card_token
      """;

  private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  public PaymentReads(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The merchant's payment; another merchant's id reads exactly as an unknown one. */
  public Optional<PaymentObject> find(String merchantId, String paymentId) {
    return jdbc.sql(SELECT + " WHERE p.merchant_id = ? AND p.id = ?")
        .params(merchantId, paymentId)
        .query(this::map)
        .optional();
  }

  /** Maps one row of {@link #SELECT}. */
  public PaymentObject map(ResultSet row, int rowNumber) throws SQLException {
    return new PaymentObject(
        row.getString("id"),
        "payment",
        row.getLong("amount"),
        row.getLong("amount_captured"),
        row.getLong("amount_refunded"),
        row.getLong("amount_captured") > 0
            && row.getLong("amount_refunded") == row.getLong("amount_captured"),
        row.getString("currency").toLowerCase(Locale.ROOT),
        row.getString("status"),
        row.getString("capture_method"),
        new PaymentObject.Card(
            row.getString("token"),
            row.getString("brand"),
            row.getString("bin"),
            row.getString("last4"),
            row.getInt("exp_month"),
            row.getInt("exp_year"),
            row.getString("fingerprint")),
        row.getString("description"),
        row.getString("statement_descriptor"),
        json.readValue(row.getString("metadata"), METADATA),
        row.getString("customer_email"),
        row.getString("decline_code"),
        row.getString("failure_message"),
        row.getString("cancellation_reason"),
        row.getObject("created_at", OffsetDateTime.class).toEpochSecond(),
        false);
  }
}
