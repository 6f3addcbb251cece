package io.payrail.api.settlement;

import io.payrail.api.payment.CursorPages;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Payouts (table {@code payouts}, V10), read by their merchant and by finance. Written only by the
 * settlement and payout-file workflows' activities.
 */
@Repository
class PayoutRepository {

  static final String SELECT =
      """
      SELECT po.id, po.merchant_id, po.run_id, po.terms_id, po.currency, po.amount, po.rail,
             po.status, po.payout_file_id, po.return_code, po.failure_message, po.created_at,
             po.updated_at, r.business_date
      FROM payouts po JOIN settlement_runs r ON r.id = po.run_id
      """;

  private final JdbcClient jdbc;

  PayoutRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One payout as stored. */
  record Payout(
      String id,
      String merchantId,
      long runId,
      long termsId,
      String currency,
      long amount,
      String rail,
      String status,
      String payoutFileId,
      String returnCode,
      String failureMessage,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      LocalDate businessDate) {}

  /**
   * A page of payouts, newest first.
   *
   * @param merchantId whose; null for every merchant's (finance)
   * @param runId only this run's; null for any
   */
  CursorPages.Page<Payout> list(
      String merchantId, Long runId, int limit, String startingAfter, String endingBefore) {
    return CursorPages.list(
        jdbc,
        SELECT,
        "payouts",
        "po",
        merchantId,
        runId == null ? "" : " AND po.run_id = :run",
        runId == null ? Map.of() : Map.of("run", runId),
        limit,
        startingAfter,
        endingBefore,
        PayoutRepository::map);
  }

  /** The payout, if it is {@code merchantId}'s (any merchant's when null). */
  Optional<Payout> find(String merchantId, String id) {
    return merchantId == null
        ? jdbc.sql(SELECT + " WHERE po.id = ?").param(id).query(PayoutRepository::map).optional()
        : jdbc.sql(SELECT + " WHERE po.id = ? AND po.merchant_id = ?")
            .params(id, merchantId)
            .query(PayoutRepository::map)
            .optional();
  }

  static Payout map(ResultSet row, int rowNumber) throws SQLException {
    return new Payout(
        row.getString("id"),
        row.getString("merchant_id"),
        row.getLong("run_id"),
        row.getLong("terms_id"),
        row.getString("currency"),
        row.getLong("amount"),
        row.getString("rail"),
        row.getString("status"),
        row.getString("payout_file_id"),
        row.getString("return_code"),
        row.getString("failure_message"),
        row.getObject("created_at", OffsetDateTime.class),
        row.getObject("updated_at", OffsetDateTime.class),
        row.getObject("business_date", LocalDate.class));
  }
}
