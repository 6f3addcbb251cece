package io.payrail.activities.settlement;

import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.ledger.Ledger.Entry;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.MerchantFigures;
import io.payrail.workflows.settlement.SettlementBatch;
import io.payrail.workflows.settlement.SettlementBatchActivities;
import io.temporal.spring.boot.ActivityImpl;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The three steps of a batch of merchants, each one transaction of a few set-based statements
 * (whatever the batch's size): compute ({@link MerchantSettlements}), post with {@link
 * Ledger#postAll}, create payouts. A retry, or a worker lost in the middle, finds what was
 * committed by its keys and adds nothing twice.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
public class SettlementBatchActivitiesImpl implements SettlementBatchActivities {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Ledger ledger;
  private final SecureRandom random = new SecureRandom();

  public SettlementBatchActivitiesImpl(
      JdbcClient jdbc, PlatformTransactionManager transactionManager, Ledger ledger) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.ledger = ledger;
  }

  /**
   * Parameters: run id, first and last merchant. A merchant's net of a business day is made
   * available once, whichever run of the day did it: an approved rerun carries its difference as an
   * adjustment (docs/settlement.md, reruns).
   */
  private static final String DUE_FOR_AVAILABILITY =
      """
            SELECT ms.run_id, ms.merchant_id, ms.net
            FROM merchant_settlements ms
            JOIN settlement_runs r ON r.id = ms.run_id
            JOIN settlement_terms t ON t.id = ms.terms_id
            JOIN settlement_runs today ON today.id = ?
            WHERE r.currency = today.currency
              AND (r.status = 'posted' OR r.id = today.id)
              AND r.business_date + t.payout_delay_days <= today.business_date
              AND ms.net <> 0
              AND ms.merchant_id BETWEEN ? AND ?
              AND NOT EXISTS (SELECT 1 FROM settlement_runs s
                              JOIN journal_entries e ON e.idempotency_key =
                                   'available:' || s.id || ':' || ms.merchant_id
                              WHERE s.currency = r.currency
                                AND s.business_date = r.business_date)
            ORDER BY ms.run_id, ms.merchant_id
            """;

  @Override
  public int compute(SettlementBatch batch) {
    String first = batch.merchants().first();
    String last = batch.merchants().last();
    transactions.executeWithoutResult(
        status -> MerchantSettlements.compute(jdbc, batch.runId(), first, last));
    return jdbc.sql(
            """
            SELECT count(*) FROM merchant_settlements
            WHERE run_id = ? AND merchant_id BETWEEN ? AND ?
            """)
        .params(batch.runId(), first, last)
        .query(Integer.class)
        .single();
  }

  @Override
  public void post(SettlementBatch batch) {
    List<Entry> entries = new ArrayList<>();
    jdbc.sql(
            """
            SELECT merchant_id, capture_count, refund_count, gross, refunds, fees, reserve_held,
                   reserve_released, net
            FROM merchant_settlements
            WHERE run_id = ? AND merchant_id BETWEEN ? AND ?
            ORDER BY merchant_id
            """)
        .params(batch.runId(), batch.merchants().first(), batch.merchants().last())
        .query(
            (row, n) ->
                SettlementPostings.settlement(
                    batch.runId(),
                    row.getString(1),
                    new MerchantFigures(
                        row.getInt(2),
                        row.getInt(3),
                        row.getLong(4),
                        row.getLong(5),
                        row.getLong(6),
                        row.getLong(7),
                        row.getLong(8),
                        row.getLong(9))))
        .list()
        .forEach(entry -> entry.ifPresent(entries::add));
    entries.addAll(dueForAvailability(batch));
    ledger.postAll(Currency.getInstance(batch.currency()), entries);
  }

  /**
   * The nets of this run and of earlier posted runs of the currency whose business date + payout
   * delay (of the terms they were computed with) has come, not yet made available.
   */
  private List<Entry> dueForAvailability(SettlementBatch batch) {
    return jdbc.sql(DUE_FOR_AVAILABILITY)
        .params(batch.runId(), batch.merchants().first(), batch.merchants().last())
        .query(
            (row, n) ->
                SettlementPostings.availability(row.getLong(1), row.getString(2), row.getLong(3)))
        .list();
  }

  private record Payout(String id, String merchantId, long termsId, long amount, String rail) {}

  @Override
  public int createPayouts(SettlementBatch batch) {
    Integer created = transactions.execute(status -> createPayoutsNow(batch));
    return created == null ? 0 : created;
  }

  /**
   * One transaction: the payouts and their entries are committed together, so the balance read here
   * is never paid out twice; a second attempt finds the payouts of the run (unique run and
   * merchant) and inserts nothing.
   */
  private int createPayoutsNow(SettlementBatch batch) {
    List<Payout> due =
        jdbc.sql(
                "WITH "
                    + TermsInForce.CTES
                    + """
                    SELECT t.merchant_id, t.id, -a.balance, t.payout_rail
                    FROM terms t
                    JOIN run ON true
                    JOIN ledger_accounts a ON a.code = 'merchant_available'
                         AND a.merchant_id = t.merchant_id AND a.currency = run.currency
                    WHERE -a.balance > 0 AND -a.balance >= t.minimum_payout
                      AND NOT EXISTS (SELECT 1 FROM payouts p
                                      WHERE p.run_id = run.id AND p.merchant_id = t.merchant_id)
                    ORDER BY t.merchant_id
                    FOR UPDATE OF a
                    """)
            .params(batch.runId(), batch.merchants().first(), batch.merchants().last())
            .query(
                (row, n) ->
                    new Payout(
                        payoutId(),
                        row.getString(1),
                        row.getLong(2),
                        row.getLong(3),
                        row.getString(4)))
            .list();
    if (due.isEmpty()) {
      return 0;
    }
    List<String> inserted =
        jdbc.sql(
                """
                INSERT INTO payouts (id, merchant_id, run_id, terms_id, currency, amount, rail,
                                     status)
                SELECT p.id, p.merchant_id, ?, p.terms_id, ?, p.amount, p.rail, 'pending'
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])
                    AS p(id, merchant_id, terms_id, amount, rail)
                ON CONFLICT (run_id, merchant_id) DO NOTHING
                RETURNING id
                """)
            .param(batch.runId())
            .param(batch.currency())
            .param(due.stream().map(Payout::id).toArray(String[]::new))
            .param(due.stream().map(Payout::merchantId).toArray(String[]::new))
            .param(due.stream().mapToLong(Payout::termsId).toArray())
            .param(due.stream().mapToLong(Payout::amount).toArray())
            .param(due.stream().map(Payout::rail).toArray(String[]::new))
            .query(String.class)
            .list();
    List<Entry> entries =
        due.stream()
            .filter(payout -> inserted.contains(payout.id()))
            .map(
                payout ->
                    SettlementPostings.payout(payout.id(), payout.merchantId(), payout.amount()))
            .toList();
    ledger.postAll(Currency.getInstance(batch.currency()), entries);
    return entries.size();
  }

  private String payoutId() {
    StringBuilder id = new StringBuilder("po_");
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
