package io.payrail.activities.reconciliation;

import io.payrail.activities.bank.BankProperties;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.reconciliation.BreakAgeing;
import io.payrail.workflows.reconciliation.IngestedReport;
import io.payrail.workflows.reconciliation.ReconciliationActivities;
import io.payrail.workflows.reconciliation.ReconciliationSummary;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Reconciles the acquirer's settlement reports with Payrail's settlement items: the report comes
 * from the bank configured in {@code payrail.bank} (its timeouts too), is stored once by SHA-256
 * and matched in the database, set-wise (docs/reconciliation.md). Aged breaks are alerted as WARN
 * log lines, which operators' log alerting picks up; references are request ids, never account
 * numbers.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
@EnableConfigurationProperties(BankProperties.class)
public class ReconciliationActivitiesImpl implements ReconciliationActivities {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationActivitiesImpl.class);

  /** At most this many aged breaks are logged one by one per check; the rest are counted. */
  static final int ALERT_LINES = 50;

  private final SettlementReportClient bank;
  private final ReconciliationStore store;

  @Autowired
  public ReconciliationActivitiesImpl(
      BankProperties bank, JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
    this(
        new SettlementReportClient(bank.url(), bank.connectTimeout(), bank.requestTimeout()),
        new ReconciliationStore(jdbc, transactionManager));
  }

  ReconciliationActivitiesImpl(SettlementReportClient bank, ReconciliationStore store) {
    this.bank = bank;
    this.store = store;
  }

  @Override
  public IngestedReport ingest(String currency, String reportDate, String workflowId) {
    LocalDate date = LocalDate.parse(reportDate);
    byte[] file;
    try {
      file = bank.fetch(currency, date);
    } catch (SettlementReportClient.ReportRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), REPORT_REFUSED);
    }
    String sha256 = sha256(file);
    return store
        .find(currency, date, sha256)
        .orElseGet(
            () -> {
              ReportFile report;
              try {
                report = ReportFile.parse(file, currency, date);
              } catch (ReportFile.MalformedReportException e) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), MALFORMED_REPORT);
              }
              IngestedReport stored = store.insert(report, sha256, workflowId);
              log.info(
                  "settlement report {} {} ingested as {}: {} lines, gross {}",
                  currency,
                  reportDate,
                  stored.reportId(),
                  stored.lineCount(),
                  stored.totalGross());
              return stored;
            });
  }

  @Override
  public ReconciliationSummary match(String reportId) {
    ReconciliationSummary summary = store.match(reportId);
    log.info(
        "settlement report {} reconciled: {} matched, {} missing, {} unexpected,"
            + " {} amount mismatches, {} duplicates",
        reportId,
        summary.matched(),
        summary.missing(),
        summary.unexpected(),
        summary.amountMismatch(),
        summary.duplicate());
    return summary;
  }

  @Override
  public BreakAgeing alertAged(String reportId, long asOfMillis, int alertAfterDays) {
    Instant asOf = Instant.ofEpochMilli(asOfMillis);
    List<ReconciliationStore.AgedBreak> aged =
        store.aged(reportId, asOf, Duration.ofDays(alertAfterDays));
    for (ReconciliationStore.AgedBreak agedBreak :
        aged.subList(0, Math.min(ALERT_LINES, aged.size()))) {
      log.warn(
          "reconciliation break {} ({}, reference {}) of report {} open for {} days",
          agedBreak.id(),
          agedBreak.kind(),
          agedBreak.reference(),
          reportId,
          Duration.between(agedBreak.openedAt(), asOf).toDays());
    }
    if (aged.size() > ALERT_LINES) {
      log.warn(
          "reconciliation report {}: {} more breaks open for over {} days",
          reportId,
          aged.size() - ALERT_LINES,
          alertAfterDays);
    }
    return new BreakAgeing(store.openBreaks(reportId), aged.size());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
