package io.payrail.activities.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger.Entry;
import io.payrail.activities.ledger.Ledger.Line;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** {@link Ledger#postAll} against the real schema. */
@Timeout(60)
class LedgerPostAllIT {

  private final DataSource database = TestServers.database();
  private final JdbcClient jdbc = JdbcClient.create(database);
  private final Ledger ledger = new Ledger(jdbc, new JdbcTransactionManager(database));
  private final TestPayments payments = new TestPayments(database);

  /**
   * The accounts a post creates are committed before its entries: while one post waits (here on a
   * lock the test holds on a balance), the account it created is there for every other transaction,
   * which would otherwise wait for the whole of that post to insert the same account (the first
   * fee_revenue of a currency, four settlement batches at once).
   */
  @Test
  void theAccountsOfAPost_areCommittedBeforeItsEntries() throws Exception {
    String merchant = payments.merchant();
    String shared = "test_shared_" + merchant;
    jdbc.sql("INSERT INTO ledger_accounts (code, currency) VALUES (?, 'USD')")
        .param(shared)
        .update();
    Entry entry =
        new Entry(
            "test:" + merchant,
            "test",
            List.of(Line.debit("merchant_payable", merchant, 500), Line.credit(shared, null, 500)));

    CompletableFuture<Integer> posted;
    try (Connection holder = database.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement(
              "SELECT id FROM ledger_accounts WHERE code = ? AND merchant_id IS NULL FOR UPDATE")) {
        lock.setString(1, shared);
        lock.executeQuery().close();
      }
      posted =
          CompletableFuture.supplyAsync(
              () -> ledger.postAll(Currency.getInstance("USD"), List.of(entry)));
      while (waitingOnTheLock() == 0) {
        Thread.sleep(20);
      }

      assertThat(accounts(merchant)).as("committed while the post waits").isEqualTo(1);
      assertThat(entries(merchant)).as("the entry is not").isZero();
      holder.rollback();
    }
    assertThat(posted.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(entries(merchant)).isEqualTo(1);
  }

  private long waitingOnTheLock() {
    return jdbc.sql(
            """
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND a.datname = current_database()
            """)
        .query(Long.class)
        .single();
  }

  private long accounts(String merchant) {
    return jdbc.sql("SELECT count(*) FROM ledger_accounts WHERE merchant_id = ?")
        .param(merchant)
        .query(Long.class)
        .single();
  }

  private long entries(String merchant) {
    return jdbc.sql("SELECT count(*) FROM journal_entries WHERE idempotency_key = ?")
        .param("test:" + merchant)
        .query(Long.class)
        .single();
  }
}
