package io.payrail.activities.settlement;

/**
 * The SQL that picks each merchant's terms in force on a run's business date: the version with the
 * latest {@code effective_from} on or before it, the latest created among equals
 * (docs/settlement.md). Used as a common table expression after a {@code run} one ({@code id,
 * currency, business_date}); only merchants whose terms settle in the run's currency are kept.
 */
final class TermsInForce {

  /**
   * {@code run} and {@code terms} CTEs; parameters: run id, first merchant, last merchant (both
   * inclusive; null for no bound).
   */
  static final String CTES =
      """
      run AS (SELECT id, currency, business_date, status, window_start, window_end,
                    supersedes_run_id
             FROM settlement_runs WHERE id = ?),
      latest AS (
          SELECT DISTINCT ON (t.merchant_id) t.*
          FROM settlement_terms t, run
          WHERE t.effective_from <= run.business_date
            AND t.merchant_id >= coalesce(CAST(? AS text), t.merchant_id)
            AND t.merchant_id <= coalesce(CAST(? AS text), t.merchant_id)
          ORDER BY t.merchant_id, t.effective_from DESC, t.id DESC),
      terms AS (
          SELECT latest.* FROM latest, run WHERE latest.settlement_currency = run.currency)
      """;

  private TermsInForce() {}
}
