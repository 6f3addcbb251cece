package io.payrail.api.settlement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a rerun changes, merchant by merchant: its {@code merchant_settlements} beside those of the
 * run it supersedes (both are kept, which is how the diff is read before anything posts), and each
 * merchant's payout of either run.
 */
@Repository
class RunDiffRepository {

  /** Parameters: rerun id, merchant after which to start ('' for the first), row limit. */
  private static final String DIFF =
      """
      WITH rerun AS (SELECT id, supersedes_run_id AS prev FROM settlement_runs WHERE id = ?),
      m AS (SELECT DISTINCT ms.merchant_id FROM merchant_settlements ms, rerun
            WHERE ms.run_id IN (rerun.id, rerun.prev))
      SELECT m.merchant_id,
             coalesce(b.gross, 0), coalesce(a.gross, 0),
             coalesce(b.refunds, 0), coalesce(a.refunds, 0),
             coalesce(b.fees, 0), coalesce(a.fees, 0),
             coalesce(b.reserve_held, 0), coalesce(a.reserve_held, 0),
             coalesce(b.reserve_released, 0), coalesce(a.reserve_released, 0),
             coalesce(b.net, 0), coalesce(a.net, 0),
             coalesce(pb.amount, 0), pb.status, pa.amount
      FROM m CROSS JOIN rerun
      LEFT JOIN merchant_settlements a ON a.run_id = rerun.id AND a.merchant_id = m.merchant_id
      LEFT JOIN merchant_settlements b ON b.run_id = rerun.prev AND b.merchant_id = m.merchant_id
      LEFT JOIN payouts pb ON pb.run_id = rerun.prev AND pb.merchant_id = m.merchant_id
      LEFT JOIN payouts pa ON pa.run_id = rerun.id AND pa.merchant_id = m.merchant_id
      WHERE m.merchant_id > ?
      ORDER BY m.merchant_id
      LIMIT ?
      """;

  /** One figure before (run n), after (the rerun) and the change. */
  record Change(long before, long after, long change) {
    static Change of(long before, long after) {
      return new Change(before, after, after - before);
    }

    Change plus(Change other) {
      return new Change(before + other.before, after + other.after, change + other.change);
    }
  }

  /**
   * A merchant's payout: before is run n's (whatever became of it), after the rerun's once it is
   * applied, or projected while it awaits approval (an unsent payout is paid again with the net's
   * change; a sent one stays, and the change is carried to the next payout).
   */
  record PayoutChange(
      long before, long after, long change, String beforeStatus, long carried, boolean projected) {}

  record MerchantDiff(
      String merchantId,
      Change gross,
      Change refunds,
      Change fees,
      Change reserveHeld,
      Change reserveReleased,
      Change net,
      PayoutChange payout) {}

  private final JdbcClient jdbc;

  RunDiffRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code limit + 1} merchants after {@code afterMerchant} (null: from the first), by id. */
  List<MerchantDiff> page(long rerunId, boolean applied, String afterMerchant, int limit) {
    return jdbc.sql(DIFF)
        .params(rerunId, afterMerchant == null ? "" : afterMerchant, limit + 1)
        .query((row, n) -> diff(row, applied))
        .list();
  }

  /** Every merchant of both runs: the totals. */
  List<MerchantDiff> all(long rerunId, boolean applied) {
    return jdbc.sql(DIFF)
        .params(rerunId, "", Integer.MAX_VALUE)
        .query((row, n) -> diff(row, applied))
        .list();
  }

  private static MerchantDiff diff(ResultSet row, boolean applied) throws SQLException {
    Change net = Change.of(row.getLong(12), row.getLong(13));
    return new MerchantDiff(
        row.getString(1),
        Change.of(row.getLong(2), row.getLong(3)),
        Change.of(row.getLong(4), row.getLong(5)),
        Change.of(row.getLong(6), row.getLong(7)),
        Change.of(row.getLong(8), row.getLong(9)),
        Change.of(row.getLong(10), row.getLong(11)),
        net,
        payout(row.getLong(14), row.getString(15), (Long) row.getObject(16), net, applied));
  }

  private static PayoutChange payout(
      long before, String beforeStatus, Long rerunPayout, Change net, boolean applied) {
    boolean unsent = "pending".equals(beforeStatus) || "voided".equals(beforeStatus);
    long after;
    if (applied) {
      after = rerunPayout == null ? (unsent ? 0 : before) : rerunPayout;
    } else {
      after = unsent ? Math.max(0, before + net.change()) : before;
    }
    long carried = unsent ? Math.min(0, before + net.change()) : net.change();
    return new PayoutChange(before, after, after - before, beforeStatus, carried, !applied);
  }
}
