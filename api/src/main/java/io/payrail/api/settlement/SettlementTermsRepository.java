package io.payrail.api.settlement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The versions of merchants' settlement terms (table {@code settlement_terms}, V10). */
@Repository
class SettlementTermsRepository {

  private static final String COLUMNS =
      """
      SELECT id, merchant_id, effective_from, settlement_currency, fee_basis_points, fee_fixed,
             refund_fee_policy, payout_delay_days, minimum_payout, reserve_basis_points,
             reserve_hold_days, payout_rail, account_holder, routing_number, bic, account_last4,
             created_at, created_by
      FROM settlement_terms
      """;

  /**
   * Newest version first: the order in which the one in force on a date is the first whose
   * effective_from is on or before it (docs/settlement.md).
   */
  private static final String NEWEST_FIRST = " ORDER BY effective_from DESC, id DESC";

  private final JdbcClient jdbc;

  SettlementTermsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The new version's values; the account only sealed, and its last four characters. */
  record NewTerms(
      String merchantId,
      LocalDate effectiveFrom,
      String settlementCurrency,
      int feeBasisPoints,
      long feeFixed,
      String refundFeePolicy,
      int payoutDelayDays,
      long minimumPayout,
      int reserveBasisPoints,
      int reserveHoldDays,
      String payoutRail,
      String accountHolder,
      String routingNumber,
      String bic,
      String accountCiphertext,
      String accountLast4,
      String createdBy) {}

  SettlementTerms insert(NewTerms terms) {
    long id =
        jdbc.sql(
                """
                INSERT INTO settlement_terms (merchant_id, effective_from, settlement_currency,
                    fee_basis_points, fee_fixed, refund_fee_policy, payout_delay_days,
                    minimum_payout, reserve_basis_points, reserve_hold_days, payout_rail,
                    account_holder, routing_number, bic, account_ciphertext, account_last4,
                    created_by)
                VALUES (:merchantId, :effectiveFrom, :settlementCurrency, :feeBasisPoints,
                    :feeFixed, :refundFeePolicy, :payoutDelayDays, :minimumPayout,
                    :reserveBasisPoints, :reserveHoldDays, :payoutRail, :accountHolder,
                    :routingNumber, :bic, :accountCiphertext, :accountLast4, :createdBy)
                RETURNING id
                """)
            .paramSource(terms)
            .query(Long.class)
            .single();
    return jdbc.sql(COLUMNS + " WHERE id = ?").param(id).query(this::map).single();
  }

  List<SettlementTerms> versions(String merchantId) {
    return jdbc.sql(COLUMNS + " WHERE merchant_id = ?" + NEWEST_FIRST)
        .param(merchantId)
        .query(this::map)
        .list();
  }

  boolean merchantExists(String merchantId) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM merchants WHERE id = ?)")
        .param(merchantId)
        .query(Boolean.class)
        .single();
  }

  /** The version in force on {@code date}, if any has started by then. */
  static Optional<SettlementTerms> inForce(List<SettlementTerms> newestFirst, LocalDate date) {
    return newestFirst.stream().filter(t -> !t.effectiveFrom().isAfter(date)).findFirst();
  }

  private SettlementTerms map(ResultSet row, int rowNumber) throws SQLException {
    return new SettlementTerms(
        row.getLong("id"),
        row.getString("merchant_id"),
        row.getObject("effective_from", LocalDate.class),
        row.getString("settlement_currency"),
        row.getInt("fee_basis_points"),
        row.getLong("fee_fixed"),
        row.getString("refund_fee_policy"),
        row.getInt("payout_delay_days"),
        row.getLong("minimum_payout"),
        row.getInt("reserve_basis_points"),
        row.getInt("reserve_hold_days"),
        row.getString("payout_rail"),
        row.getString("account_holder"),
        row.getString("routing_number"),
        row.getString("bic"),
        row.getString("account_last4"),
        row.getObject("created_at", OffsetDateTime.class).toInstant(),
        row.getString("created_by"));
  }
}
