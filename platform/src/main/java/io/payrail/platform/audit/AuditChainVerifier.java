package io.payrail.platform.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Walks the audit log in order and checks each record: its number follows the one before (a gap is
 * a deleted record), its {@code prev_hash} is the previous record's hash (a mismatch is a record
 * altered and re-hashed, or replaced), and its contents hash to its {@code hash} (a mismatch is a
 * record altered in place). Stops at the first broken record and names it.
 *
 * <p>Needs only SELECT on {@code audit_log}, so an auditor's read-only role can run it. What the
 * chain cannot show by itself is the newest records deleted from the end: compare {@link
 * Verification#headHash} with one noted earlier (docs/audit.md).
 */
public final class AuditChainVerifier {

  private static final int FETCH_SIZE = 1000;

  private AuditChainVerifier() {}

  /**
   * The outcome of a walk.
   *
   * @param checked how many records were read
   * @param brokenSeq the number of the first broken record, or null when the chain is intact; for a
   *     deleted record, the missing number
   * @param problem what is wrong with it, or null
   * @param headHash the hash of the last record that checked out ({@link AuditRecord#GENESIS} for
   *     an empty log)
   */
  public record Verification(long checked, Long brokenSeq, String problem, String headHash) {

    public boolean intact() {
      return brokenSeq == null;
    }
  }

  /** Walks the whole chain through {@code connection}, in one read-only transaction. */
  public static Verification verify(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    // A cursor (fetch size) needs a transaction; repeatable read sees one consistent chain.
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT seq, occurred_at, actor_kind, actor_id, actor_credential_id, actor_name,
                   actor_role, action, target_type, target_id, request_id, changes, prev_hash, hash
            FROM audit_log ORDER BY seq
            """)) {
      select.setFetchSize(FETCH_SIZE);
      try (ResultSet rows = select.executeQuery()) {
        return walk(rows);
      }
    } finally {
      connection.rollback();
      connection.setReadOnly(false);
      connection.setAutoCommit(autoCommit);
    }
  }

  private static Verification walk(ResultSet rows) throws SQLException {
    long checked = 0;
    long expectedSeq = 1;
    String previousHash = AuditRecord.GENESIS;
    while (rows.next()) {
      AuditRecord record = AuditRecord.read(rows);
      checked++;
      if (record.seq() != expectedSeq) {
        String missing =
            record.seq() == expectedSeq + 1
                ? "record " + expectedSeq + " is missing"
                : "records " + expectedSeq + " to " + (record.seq() - 1) + " are missing";
        return new Verification(
            checked,
            expectedSeq,
            missing + " (deleted): record " + record.seq() + " follows " + (expectedSeq - 1),
            previousHash);
      }
      if (!record.computeHash().equals(record.hash())) {
        return new Verification(
            checked,
            record.seq(),
            "record "
                + record.seq()
                + " was altered: its contents do not hash to its stored hash "
                + record.hash(),
            previousHash);
      }
      if (!record.prevHash().equals(previousHash)) {
        return new Verification(
            checked,
            record.seq(),
            "record "
                + record.seq()
                + " does not link to record "
                + (record.seq() - 1)
                + ": its prev_hash "
                + record.prevHash()
                + " is not that record's hash "
                + previousHash
                + " (one of the two was altered and re-hashed, or replaced)",
            previousHash);
      }
      previousHash = record.hash();
      expectedSeq++;
    }
    return new Verification(checked, null, null, previousHash);
  }
}
