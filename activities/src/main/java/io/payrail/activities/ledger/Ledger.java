package io.payrail.activities.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The double-entry ledger: journal entries of signed lines (debit positive, credit negative) that
 * sum to zero, each posted once, with account balances kept in the same transaction.
 *
 * <h2>Accounts</h2>
 *
 * An account is a code, a merchant (none for Payrail's own accounts) and a currency; it is created
 * on first use.
 *
 * <table>
 *   <caption>Chart of accounts</caption>
 *   <tr><th>code</th><th>whose</th><th>holds</th></tr>
 *   <tr><td>{@code acquirer_authorized}</td><td>Payrail</td>
 *       <td>amounts the acquirer holds on customers' cards for uncaptured authorizations</td></tr>
 *   <tr><td>{@code merchant_authorized}</td><td>merchant</td>
 *       <td>the same amounts, owed onward to the merchant if captured</td></tr>
 *   <tr><td>{@code acquirer_receivable}</td><td>Payrail</td>
 *       <td>captured amounts the acquirer owes Payrail until settlement</td></tr>
 *   <tr><td>{@code merchant_payable}</td><td>merchant</td>
 *       <td>captured amounts Payrail owes the merchant until payout</td></tr>
 * </table>
 *
 * <h2>Posting rules of a payment</h2>
 *
 * Applied by {@link PaymentPostings} to each recorded transition; A is the authorized amount, C the
 * captured amount.
 *
 * <table>
 *   <caption>Posting rules</caption>
 *   <tr><th>transition</th><th>entry (kind)</th><th>lines</th></tr>
 *   <tr><td>processing &rarr; requires_capture (authorization)</td><td>{@code authorization}</td>
 *       <td>Dr {@code acquirer_authorized} A / Cr {@code merchant_authorized} A</td></tr>
 *   <tr><td rowspan="2">requires_capture &rarr; succeeded (capture)</td><td>{@code capture}</td>
 *       <td>Dr {@code merchant_authorized} C / Cr {@code acquirer_authorized} C;
 *       Dr {@code acquirer_receivable} C / Cr {@code merchant_payable} C</td></tr>
 *   <tr><td>{@code release}, only when C &lt; A</td>
 *       <td>Dr {@code merchant_authorized} A-C / Cr {@code acquirer_authorized} A-C</td></tr>
 *   <tr><td>requires_capture &rarr; canceled (cancel, expiry) or failed (capture refused, the
 *       authorization voided)</td><td>{@code void}</td>
 *       <td>Dr {@code merchant_authorized} A / Cr {@code acquirer_authorized} A</td></tr>
 *   <tr><td>processing &rarr; failed (blocked, declined, unreachable)</td><td>none</td>
 *       <td>no money was held</td></tr>
 * </table>
 *
 * After every payment ends, its {@code *_authorized} lines net to zero, and {@code
 * acquirer_receivable} and {@code merchant_payable} hold its captured amount (until settlement
 * moves it on). An entry's idempotency key is {@code <payment id>:<sequence>:<kind>}, so a retried
 * transition posts nothing twice.
 *
 * <h2>Concurrency</h2>
 *
 * Payrail's own accounts are shared by every payment of a currency, so balances are updated in
 * ascending account id order: two transactions never wait on each other's accounts in a cycle. New
 * accounts are created in (code, merchant) order for the same reason.
 */
@Component
public class Ledger {

  /**
   * One line of an entry.
   *
   * @param merchantId the merchant whose account it is, or null for Payrail's own
   * @param amount minor units of the entry's currency: debit positive, credit negative, never zero
   */
  public record Line(String accountCode, String merchantId, long amount) {

    public Line {
      if (accountCode == null || accountCode.isBlank()) {
        throw new IllegalArgumentException("a line needs an account code");
      }
      if (amount == 0) {
        throw new IllegalArgumentException("a line of " + accountCode + " moves nothing");
      }
    }

    public static Line debit(String accountCode, String merchantId, long amount) {
      return new Line(accountCode, merchantId, amount);
    }

    public static Line credit(String accountCode, String merchantId, long amount) {
      return new Line(accountCode, merchantId, Math.negateExact(amount));
    }
  }

  /**
   * One entry of a {@link #postAll} batch.
   *
   * @param idempotencyKey posted once: a later batch with the same key skips the entry
   */
  public record Entry(String idempotencyKey, String kind, List<Line> lines) {

    public Entry {
      Objects.requireNonNull(idempotencyKey, "idempotencyKey");
      Objects.requireNonNull(kind, "kind");
      requireBalanced(lines);
      lines = List.copyOf(lines);
    }
  }

  private record AccountKey(String code, String merchantId) {

    static final Comparator<AccountKey> ORDER =
        Comparator.comparing(AccountKey::code)
            .thenComparing(
                AccountKey::merchantId, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public Ledger(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /**
   * Posts an entry once: a second post with the same {@code idempotencyKey} changes nothing. Joins
   * the caller's transaction when there is one.
   *
   * @param paymentId the payment the entry belongs to, or null
   * @return true when the entry was posted now, false when it already was
   * @throws IllegalArgumentException when the lines are fewer than two or do not sum to zero,
   *     before anything is written
   */
  public boolean post(
      String idempotencyKey, String kind, String paymentId, Currency currency, List<Line> lines) {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(currency, "currency");
    requireBalanced(lines);
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> insert(idempotencyKey, kind, paymentId, currency.getCurrencyCode(), lines)));
  }

  /**
   * Posts many entries of one currency, with no payment, in one transaction and a handful of
   * statements whatever their number (a settlement batch posts hundreds): the same invariants and
   * idempotency as {@link #post}, entry by entry. Joins the caller's transaction when there is one.
   *
   * @return how many of the entries were posted now (the others already were)
   * @throws IllegalArgumentException when two entries share a key
   */
  public int postAll(Currency currency, List<Entry> entries) {
    Objects.requireNonNull(currency, "currency");
    if (new HashSet<>(entries.stream().map(Entry::idempotencyKey).toList()).size()
        != entries.size()) {
      throw new IllegalArgumentException("two entries of a batch share an idempotency key");
    }
    if (entries.isEmpty()) {
      return 0;
    }
    String code = currency.getCurrencyCode();
    Map<AccountKey, Long> accounts =
        TransactionSynchronizationManager.isActualTransactionActive()
            ? null
            : transactions.execute(
                status ->
                    accountIdsAll(
                        entries.stream().flatMap(entry -> entry.lines().stream()).toList(), code));
    Integer posted = transactions.execute(status -> insertAll(code, entries, accounts));
    return posted == null ? 0 : posted;
  }

  static void requireBalanced(List<Line> lines) {
    if (lines == null || lines.size() < 2) {
      throw new IllegalArgumentException("an entry needs at least two lines");
    }
    long sum = 0;
    for (Line line : lines) {
      sum = Math.addExact(sum, line.amount());
    }
    if (sum != 0) {
      throw new IllegalArgumentException("the lines of an entry must sum to zero, not " + sum);
    }
  }

  private boolean insert(
      String idempotencyKey, String kind, String paymentId, String currency, List<Line> lines) {
    Long entryId =
        jdbc.sql(
                """
                INSERT INTO journal_entries (idempotency_key, kind, payment_id, currency)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id
                """)
            .params(idempotencyKey, kind, paymentId, currency)
            .query(Long.class)
            .optional()
            .orElse(null);
    if (entryId == null) {
      return false;
    }
    Map<AccountKey, Long> accounts = accountIds(lines, currency);
    Map<Long, Long> netByAccount = new TreeMap<>();
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      long accountId = accounts.get(new AccountKey(line.accountCode(), line.merchantId()));
      rows.add(new Object[] {entryId, i + 1, accountId, line.amount()});
      netByAccount.merge(accountId, line.amount(), Math::addExact);
    }
    for (Object[] row : rows) {
      jdbc.sql(
              "INSERT INTO journal_lines (entry_id, line_no, account_id, amount) VALUES (?, ?, ?, ?)")
          .params(row)
          .update();
    }
    // Ascending account id (TreeMap): the lock order every posting follows.
    netByAccount.forEach(
        (accountId, net) ->
            jdbc.sql("UPDATE ledger_accounts SET balance = balance + ? WHERE id = ?")
                .params(net, accountId)
                .update());
    return true;
  }

  /**
   * The entries not yet posted, their lines and balances. {@code accounts}: the ids of every
   * account the entries move, created and committed beforehand by {@link #postAll} when it runs in
   * a transaction of its own; null (the caller's transaction) to create them here. An account
   * inserted by a transaction is a row that every other insert of the same account waits on until
   * that transaction ends: created inside it, the first {@code fee_revenue} of a currency made the
   * other batches' posts wait for the whole of the first (up to 1 s of a 2,000-merchant batch,
   * measured; docs/benchmarks/settlement.md). An account committed without lines is harmless:
   * accounts are created on first use, and a retry finds it.
   */
  private int insertAll(String currency, List<Entry> entries, Map<AccountKey, Long> accounts) {
    Map<String, Long> entryIds = new HashMap<>();
    jdbc.sql(
            """
            INSERT INTO journal_entries (idempotency_key, kind, currency)
            SELECT e.key, e.kind, ? FROM unnest(?::text[], ?::text[]) AS e(key, kind)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, idempotency_key
            """)
        .param(currency)
        .param(entries.stream().map(Entry::idempotencyKey).toArray(String[]::new))
        .param(entries.stream().map(Entry::kind).toArray(String[]::new))
        .query((row, n) -> entryIds.put(row.getString(2), row.getLong(1)))
        .list();
    List<Entry> posted =
        entries.stream().filter(entry -> entryIds.containsKey(entry.idempotencyKey())).toList();
    if (posted.isEmpty()) {
      return 0;
    }
    Map<AccountKey, Long> idsByKey =
        accounts != null
            ? accounts
            : accountIdsAll(
                posted.stream().flatMap(entry -> entry.lines().stream()).toList(), currency);
    int lineCount = posted.stream().mapToInt(entry -> entry.lines().size()).sum();
    long[] lineEntries = new long[lineCount];
    int[] lineNumbers = new int[lineCount];
    long[] lineAccounts = new long[lineCount];
    long[] lineAmounts = new long[lineCount];
    Map<Long, Long> netByAccount = new TreeMap<>();
    int i = 0;
    for (Entry entry : posted) {
      for (int n = 0; n < entry.lines().size(); n++, i++) {
        Line line = entry.lines().get(n);
        lineEntries[i] = entryIds.get(entry.idempotencyKey());
        lineNumbers[i] = n + 1;
        lineAccounts[i] = idsByKey.get(new AccountKey(line.accountCode(), line.merchantId()));
        lineAmounts[i] = line.amount();
        netByAccount.merge(lineAccounts[i], line.amount(), Math::addExact);
      }
    }
    long[] ids = netByAccount.keySet().stream().mapToLong(Long::longValue).toArray();
    long[] nets = netByAccount.values().stream().mapToLong(Long::longValue).toArray();
    jdbc.sql(
            """
            INSERT INTO journal_lines (entry_id, line_no, account_id, amount)
            SELECT * FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[])
            """)
        .param(lineEntries)
        .param(lineNumbers)
        .param(lineAccounts)
        .param(lineAmounts)
        .update();
    // The balances last, their deltas summed per account: a shared account (fee_revenue, which
    // every settlement entry credits) is locked from here to the commit only, not while the lines
    // are written, so concurrent batches' posts overlap. Locked in ascending id, the order every
    // posting follows; NO KEY UPDATE, the lock an UPDATE of the balance takes, which the lines'
    // foreign keys' share locks (KEY SHARE) do not conflict with.
    jdbc.sql(
            """
            SELECT id FROM ledger_accounts WHERE id = ANY(?::bigint[]) ORDER BY id
            FOR NO KEY UPDATE
            """)
        .param(ids)
        .query(Long.class)
        .list();
    jdbc.sql(
            """
            UPDATE ledger_accounts a SET balance = a.balance + d.net
            FROM unnest(?::bigint[], ?::bigint[]) AS d(id, net) WHERE a.id = d.id
            """)
        .param(ids)
        .param(nets)
        .update();
    return posted.size();
  }

  /**
   * {@link #accountIds} in two statements for any number of accounts, created in order. The join
   * compares {@code coalesce(merchant_id, '')}, an equality a hash join can use: {@code IS NOT
   * DISTINCT FROM} made it a nested loop over every account of the ledger.
   */
  private Map<AccountKey, Long> accountIdsAll(List<Line> lines, String currency) {
    Map<AccountKey, Long> ids = new TreeMap<>(AccountKey.ORDER);
    lines.forEach(line -> ids.put(new AccountKey(line.accountCode(), line.merchantId()), null));
    String[] codes = ids.keySet().stream().map(AccountKey::code).toArray(String[]::new);
    String[] merchants = ids.keySet().stream().map(AccountKey::merchantId).toArray(String[]::new);
    jdbc.sql(
            """
            INSERT INTO ledger_accounts (code, merchant_id, currency)
            SELECT k.code, k.merchant_id, ? FROM unnest(?::text[], ?::text[]) WITH ORDINALITY
                AS k(code, merchant_id, n)
            ORDER BY k.n
            ON CONFLICT DO NOTHING
            """)
        .param(currency)
        .param(codes)
        .param(merchants)
        .update();
    jdbc.sql(
            """
            SELECT a.id, a.code, a.merchant_id
            FROM ledger_accounts a
            JOIN unnest(?::text[], ?::text[]) AS k(code, merchant_id)
              ON a.code = k.code AND coalesce(a.merchant_id, '') = coalesce(k.merchant_id, '')
            WHERE a.currency = ?
            """)
        .param(codes)
        .param(merchants)
        .param(currency)
        .query(
            (row, n) -> ids.put(new AccountKey(row.getString(2), row.getString(3)), row.getLong(1)))
        .list();
    return ids;
  }

  private Map<AccountKey, Long> accountIds(List<Line> lines, String currency) {
    Map<AccountKey, Long> ids = new TreeMap<>(AccountKey.ORDER);
    lines.forEach(line -> ids.put(new AccountKey(line.accountCode(), line.merchantId()), null));
    ids.replaceAll((key, unknown) -> accountId(key, currency));
    return ids;
  }

  /**
   * Two statements, not one: after waiting for a concurrent insert of the same account, only a new
   * statement (with a new snapshot) sees the row it committed.
   */
  private long accountId(AccountKey key, String currency) {
    jdbc.sql(
            """
            INSERT INTO ledger_accounts (code, merchant_id, currency) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING
            """)
        .params(key.code(), key.merchantId(), currency)
        .update();
    return jdbc.sql(
            """
            SELECT id FROM ledger_accounts
            WHERE code = ? AND merchant_id IS NOT DISTINCT FROM CAST(? AS text) AND currency = ?
            """)
        .params(key.code(), key.merchantId(), currency)
        .query(Long.class)
        .single();
  }
}
