package io.payrail.activities.settlement.payout;

import io.payrail.activities.ledger.Ledger;
import io.payrail.platform.audit.AuditActor;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.platform.card.CardVault;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.payout.Acknowledgement;
import io.payrail.workflows.settlement.payout.EntryOutcome;
import io.payrail.workflows.settlement.payout.FileRequest;
import io.payrail.workflows.settlement.payout.FileValidation;
import io.payrail.workflows.settlement.payout.GeneratedFile;
import io.payrail.workflows.settlement.payout.PayoutFileActivities;
import io.payrail.workflows.settlement.payout.RecordedAcknowledgement;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A payout file in the database ({@code payout_files}, {@code payouts}), the outbox folder and the
 * ledger. Accounts are opened from the vault only while a file is written or checked, and never
 * logged.
 *
 * <p>Ledger (docs/settlement.md): a paid payout posts {@code payout_paid} (Dr {@code
 * payouts_in_transit} / Cr {@code payout_bank}), a returned one {@code payout_return} (Dr {@code
 * payouts_in_transit} / Cr the merchant's {@code merchant_available}: the money is the merchant's
 * again, and the next payout carries it).
 *
 * <p>A payout that will not be paid through its file (the format cannot carry it, the file is over
 * its limits, fails validation, or the bank refuses or rejects it) is {@code failed} and returned
 * the same way, and a {@code settlement.alert} line names it: none is left {@code pending} or
 * {@code in_transit} for ever.
 *
 * <p>Lock order: each payout is moved in a transaction of its own that locks the payout's row, then
 * the merchant's {@code merchant_available} account ({@code FOR UPDATE}), then {@code
 * payouts_in_transit} or {@code payout_bank} (through the ledger). The daily run's payout creation
 * ({@code SettlementBatchActivitiesImpl.createPayouts}) locks the {@code merchant_available}
 * accounts of its batch in merchant id order, then {@code payouts_in_transit}, and locks no
 * existing payout row: both take a merchant's account before the shared one, and this side holds at
 * most one merchant account, so neither can wait for the other in a cycle.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
@EnableConfigurationProperties(PayoutFileProperties.class)
public class PayoutFileActivitiesImpl implements PayoutFileActivities {

  public static final String PAYOUTS_IN_TRANSIT = "payouts_in_transit";
  public static final String PAYOUT_BANK = "payout_bank";
  public static final String MERCHANT_AVAILABLE = "merchant_available";

  /** Return code written when the bank's own is not a code ({@code ^[A-Z0-9]{2,8}$}). */
  static final String UNKNOWN_RETURN_CODE = "UNKNOWN";

  private static final Logger log = LoggerFactory.getLogger(PayoutFileActivitiesImpl.class);
  private static final Set<String> VALIDATED =
      Set.of("validated", "approved", "transmitted", "acknowledged");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Ledger ledger;
  private final CardVault vault;
  private final Outbox outbox;
  private final Map<String, PayoutFileFormat> formats;
  private final JsonMapper json = JsonMapper.builder().build();
  private final String application;

  public PayoutFileActivitiesImpl(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      Ledger ledger,
      CardVault vault,
      PayoutFileProperties properties,
      @Value("${spring.application.name:payrail}") String application) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.ledger = ledger;
    this.vault = vault;
    this.outbox = new Outbox(properties.outboxDir());
    this.formats =
        Map.of(
            "ach",
            new NachaFormat(
                properties.ach(), properties.maxEntries(NachaFormat.DEFAULT_MAX_ENTRIES)),
            "sepa",
            new Pain001Format(
                properties.sepa(), properties.maxEntries(Pain001Format.DEFAULT_MAX_ENTRIES)));
    this.application = application;
  }

  /** A {@code payout_files} row. */
  record FileRow(
      String id,
      long runId,
      String rail,
      String currency,
      String fileName,
      String sha256,
      int entryCount,
      long totalAmount,
      String controlJson,
      String status,
      String approvedBy,
      OffsetDateTime createdAt) {}

  @Override
  public GeneratedFile generateFile(FileRequest request) {
    Optional<FileRow> existing = fileOf(request.runId(), request.rail());
    if (existing.isPresent()) {
      return restored(existing.get());
    }
    PayoutFileFormat format = format(request.rail());
    Currency currency = Currency.getInstance(request.currency());
    List<PayoutLine> lines = new ArrayList<>();
    long total = 0;
    int failed = 0;
    for (PayoutLine line : pendingLines(request.runId(), request.rail())) {
      Optional<String> refusal = format.refusal(line);
      if (refusal.isEmpty() && format.fits(lines.size() + 1, total + line.amount())) {
        lines.add(line);
        total += line.amount();
        continue;
      }
      String code = refusal.isPresent() ? RETURN_UNREPRESENTABLE : RETURN_OVER_FILE_LIMIT;
      String message =
          refusal.orElse(
              "payout "
                  + line.payoutId()
                  + " is beyond the limits of one "
                  + format.name()
                  + " file (entries or total): returned to the balance for the next payout");
      if (moveUnsent(line.payoutId(), code, message, currency)) {
        failed++;
      }
    }
    if (lines.isEmpty()) {
      return GeneratedFile.none(failed);
    }
    OffsetDateTime createdAt =
        Instant.ofEpochMilli(request.createdAtMillis()).atOffset(ZoneOffset.UTC);
    WrittenFile written = write(format, request.fileId(), createdAt, lines);
    String fileName =
        request.currency()
            + "-"
            + request.businessDate()
            + "-"
            + request.fileId()
            + "."
            + format.extension();
    // Bytes first, then the row: a crash between leaves a file the retry writes again, same name.
    outbox.write(fileName, written.bytes());
    String sha256 = Outbox.sha256(written.bytes());
    long fileTotal = total;
    transactions.executeWithoutResult(
        status -> {
          int inserted =
              jdbc.sql(
                      """
                      INSERT INTO payout_files (id, run_id, rail, currency, format, file_name,
                                                sha256, entry_count, total_amount, control,
                                                status, created_at)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), 'generated', ?)
                      ON CONFLICT DO NOTHING
                      """)
                  .params(
                      request.fileId(),
                      request.runId(),
                      request.rail(),
                      request.currency(),
                      format.name(),
                      fileName,
                      sha256,
                      lines.size(),
                      fileTotal,
                      controlJson(request.rail(), written),
                      createdAt)
                  .update();
          if (inserted == 0) {
            return; // another attempt recorded this run's file first: returned below
          }
          int linked =
              jdbc.sql(
                      """
                      UPDATE payouts SET payout_file_id = ?, updated_at = now()
                      WHERE id = ANY(?) AND status = 'pending' AND payout_file_id IS NULL
                      """)
                  .params(
                      request.fileId(),
                      lines.stream().map(PayoutLine::payoutId).toArray(String[]::new))
                  .update();
          if (linked != lines.size()) {
            // A payout changed (voided by a rerun) while the file was written: start again.
            throw new IllegalStateException(
                "payouts of run " + request.runId() + " changed while its file was written");
          }
        });
    return generated(fileOf(request.runId(), request.rail()).orElseThrow(), failed);
  }

  @Override
  public FileValidation validateFile(String fileId) {
    FileRow file = file(fileId);
    if (VALIDATED.contains(file.status())) {
      return FileValidation.ok();
    }
    FileValidation validation =
        file.status().equals("rejected")
            ? FileValidation.failed(
                json.readTree(file.controlJson()).path("validation_problem").asString("rejected"))
            : check(file);
    if (file.status().equals("generated")) {
      transactions.executeWithoutResult(
          status ->
              jdbc.sql(
                      """
                      UPDATE payout_files
                      SET status = ?, updated_at = now(),
                          control = control || jsonb_build_object('validation_problem',
                                                                  CAST(? AS text))
                      WHERE id = ? AND status = 'generated'
                      """)
                  .params(
                      validation.valid() ? "validated" : "rejected", validation.problem(), fileId)
                  .update());
    }
    if (!validation.valid()) {
      // A rejected file is never sent: its payouts are failed now (again on a retry, for those a
      // crash left pending), so that none waits for a file that will not go.
      int returned =
          failPending(
              file,
              RETURN_INVALID_FILE,
              "payout file "
                  + fileId
                  + " failed validation and was not sent: "
                  + validation.problem());
      log.error(
          "settlement.alert: payout file {} failed validation ({}): {} payouts failed ({}) and"
              + " returned to the merchants' balances",
          fileId,
          validation.problem(),
          returned,
          RETURN_INVALID_FILE);
    }
    return validation;
  }

  @Override
  public void recordFileApproval(String fileId, Approval approval) {
    transactions.executeWithoutResult(
        status -> {
          int approved =
              jdbc.sql(
                      """
                      UPDATE payout_files SET status = 'approved', approved_by = ?,
                                              updated_at = now()
                      WHERE id = ? AND status = 'validated'
                      """)
                  .params(approval.approver(), fileId)
                  .update();
          FileRow file = file(fileId);
          if (approved == 0) {
            if (approval.approver().equals(file.approvedBy())) {
              return; // this approval, recorded by an earlier attempt
            }
            throw ApplicationFailure.newNonRetryableFailure(
                "payout file " + fileId + " is " + file.status() + ", not awaiting approval",
                "payout_file_not_awaiting_approval");
          }
          Map<String, Object> after = new LinkedHashMap<>();
          after.put("status", "approved");
          after.put("approved_by", approval.approver());
          after.put("note", approval.note());
          after.put("run_id", file.runId());
          after.put("rail", file.rail());
          after.put("entry_count", file.entryCount());
          after.put("total_amount", file.totalAmount());
          after.put("currency", file.currency());
          after.put("sha256", file.sha256());
          approverLog(approval.approver())
              .record(
                  "payout_file.approved",
                  AuditTarget.of("payout_file", fileId),
                  AuditChanges.of(Map.of("status", "validated"), after));
        });
  }

  @Override
  public void voidFile(String fileId, String reason) {
    int voided =
        jdbc.sql(
                """
                UPDATE payout_files SET status = 'voided', updated_at = now()
                WHERE id = ? AND status IN ('generated', 'validated')
                """)
            .param(fileId)
            .update();
    FileRow file = file(fileId);
    if (voided == 0 && !"voided".equals(file.status())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "payout file " + fileId + " is " + file.status() + " and can no longer be voided",
          "payout_file_not_voidable");
    }
    // The file first: once voided it can no longer be approved, so its pending payouts stay
    // pending until each is voided and returned below (a retry finishes the rest).
    Currency currency = Currency.getInstance(file.currency());
    int payouts = 0;
    for (String payoutId : payoutsOf(fileId, "pending")) {
      if (move(payoutId, Set.of("pending"), "voided", null, null, currency)) {
        payouts++;
      }
    }
    log.info("payout file {} voided ({}): {} payouts", fileId, reason, payouts);
  }

  @Override
  public void failFile(String fileId, String returnCode, String reason) {
    int rejected =
        jdbc.sql(
                """
                UPDATE payout_files
                SET status = 'rejected', updated_at = now(),
                    control = control || jsonb_build_object('rejection', CAST(? AS text))
                WHERE id = ? AND status IN ('generated', 'validated', 'approved')
                """)
            .params(reason, fileId)
            .update();
    FileRow file = file(fileId);
    if (rejected == 0 && !"rejected".equals(file.status())) {
      // Only a file the bank does not hold may be failed; a transmitted one waits for its answer.
      throw ApplicationFailure.newNonRetryableFailure(
          "payout file " + fileId + " is " + file.status() + " and cannot be failed",
          "payout_file_not_failable");
    }
    int returned =
        failPending(file, returnCode, "payout file " + fileId + " was not sent: " + reason);
    log.error(
        "settlement.alert: payout file {} was not sent ({}): {} payouts failed ({}) and returned"
            + " to the merchants' balances",
        fileId,
        reason,
        returned,
        returnCode);
  }

  @Override
  public RecordedAcknowledgement recordFileAcknowledgement(
      String fileId, Acknowledgement acknowledgement) {
    FileRow file = file(fileId);
    Map<String, String> payoutByReference = new HashMap<>();
    references(file).forEach((payoutId, reference) -> payoutByReference.put(reference, payoutId));
    Currency currency = Currency.getInstance(file.currency());
    int unknown = 0;
    if (acknowledgement.accepted()) {
      for (EntryOutcome outcome : acknowledgement.entries()) {
        String payoutId = payoutByReference.get(outcome.reference());
        if (payoutId == null) {
          // Never a failure: the same answer would fail every retry, and the file's own entries
          // are still to be recorded.
          unknown++;
          log.error(
              "settlement.alert: the bank's answer for payout file {} names {}, no entry of the"
                  + " file: ignored; operators, ask the bank",
              fileId,
              outcome.reference());
          continue;
        }
        record(fileId, payoutId, outcome, currency);
      }
    } else {
      jdbc.sql(
              """
              UPDATE payout_files
              SET control = control || jsonb_build_object('rejection', CAST(? AS text)),
                  updated_at = now()
              WHERE id = ? AND status = 'transmitted'
              """)
          .params(acknowledgement.reason(), fileId)
          .update();
      String message = "the bank rejected payout file " + fileId + ": " + acknowledgement.reason();
      for (String payoutId : payoutsOf(fileId, "in_transit")) {
        move(payoutId, Set.of("in_transit"), "failed", RETURN_REJECTED, message, currency);
      }
    }
    int outstanding = payoutsOf(fileId, "in_transit").size();
    if (outstanding == 0) {
      jdbc.sql(
              """
              UPDATE payout_files SET status = ?, acknowledged_at = now(), updated_at = now()
              WHERE id = ? AND status = 'transmitted'
              """)
          .params(acknowledgement.accepted() ? "acknowledged" : "rejected", fileId)
          .update();
    } else {
      log.info(
          "the bank has answered for {} of the {} entries of payout file {}: {} still in transit",
          file.entryCount() - outstanding,
          file.entryCount(),
          fileId,
          outstanding);
    }
    return new RecordedAcknowledgement(file(fileId).status(), outstanding, unknown);
  }

  /** One answered entry: paid or returned, unless it contradicts what was recorded before. */
  private void record(String fileId, String payoutId, EntryOutcome outcome, Currency currency) {
    String target = outcome.paid() ? "paid" : "failed";
    String code = outcome.paid() ? null : returnCode(outcome.returnCode());
    if (move(payoutId, Set.of("in_transit"), target, code, failureMessage(outcome), currency)) {
      return;
    }
    String now = status(payoutId);
    if (!now.equals(target)) {
      log.error(
          "settlement.alert: the bank answers {} for payout {} of file {}, which is {}: ignored;"
              + " operators, ask the bank",
          outcome.paid() ? "paid" : "returned " + outcome.returnCode(),
          payoutId,
          fileId,
          now);
    }
  }

  /**
   * Fails a payout that was never sent (still {@code pending}) and returns its amount, alerted.
   * True when it moved now.
   */
  private boolean moveUnsent(
      String payoutId, String returnCode, String message, Currency currency) {
    boolean moved = move(payoutId, Set.of("pending"), "failed", returnCode, message, currency);
    if (moved) {
      log.error(
          "settlement.alert: payout {} not sent, failed ({}) and returned to the merchant's"
              + " balance: {}",
          payoutId,
          returnCode,
          message);
    }
    return moved;
  }

  /** Fails the file's payouts still pending; returns how many moved now. */
  private int failPending(FileRow file, String returnCode, String message) {
    Currency currency = Currency.getInstance(file.currency());
    int moved = 0;
    for (String payoutId : payoutsOf(file.id(), "pending")) {
      if (move(payoutId, Set.of("pending"), "failed", returnCode, message, currency)) {
        moved++;
      }
    }
    return moved;
  }

  /**
   * Moves one payout from one of {@code from} to {@code to} and posts its entry ({@code
   * payout_paid} when paid, else {@code payout_return}), in one transaction of its own. Locks, in
   * this order: the payout's row, the merchant's {@code merchant_available} account (when money
   * goes back to it), then the ledger's {@code payouts_in_transit} and {@code payout_bank}: the
   * order of the daily run's payout creation (class comment). Returns false, changing nothing, when
   * the payout is not in one of {@code from}.
   */
  private boolean move(
      String payoutId,
      Set<String> from,
      String to,
      String returnCode,
      String message,
      Currency currency) {
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              Map<String, Object> payout =
                  jdbc.sql(
                          "SELECT merchant_id, amount, status FROM payouts WHERE id = ? FOR UPDATE")
                      .param(payoutId)
                      .query()
                      .singleRow();
              if (!from.contains((String) payout.get("status"))) {
                return false;
              }
              String merchantId = (String) payout.get("merchant_id");
              long amount = ((Number) payout.get("amount")).longValue();
              boolean paid = to.equals("paid");
              if (!paid) {
                jdbc.sql(
                        """
                        SELECT id FROM ledger_accounts
                        WHERE code = ? AND merchant_id = ? AND currency = ?
                        FOR UPDATE
                        """)
                    .params(MERCHANT_AVAILABLE, merchantId, currency.getCurrencyCode())
                    .query(Long.class)
                    .list();
              }
              jdbc.sql(
                      """
                      UPDATE payouts SET status = ?, return_code = ?, failure_message = ?,
                                         updated_at = now()
                      WHERE id = ?
                      """)
                  .params(to, returnCode, message, payoutId)
                  .update();
              ledger.post(
                  (paid ? "payout_paid:" : "payout_return:") + payoutId,
                  paid ? "payout_paid" : "payout_return",
                  null,
                  currency,
                  paid
                      ? List.of(
                          Ledger.Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
                          Ledger.Line.credit(PAYOUT_BANK, null, amount))
                      : List.of(
                          Ledger.Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
                          Ledger.Line.credit(MERCHANT_AVAILABLE, merchantId, amount)));
              return true;
            }));
  }

  private List<String> payoutsOf(String fileId, String status) {
    return jdbc.sql("SELECT id FROM payouts WHERE payout_file_id = ? AND status = ? ORDER BY id")
        .params(fileId, status)
        .query(String.class)
        .list();
  }

  private String status(String payoutId) {
    return jdbc.sql("SELECT status FROM payouts WHERE id = ?")
        .param(payoutId)
        .query(String.class)
        .single();
  }

  /** The bank's code when it is one; a value the schema cannot hold is kept in the message. */
  private static String returnCode(String code) {
    return code != null && code.matches("[A-Z0-9]{2,8}") ? code : UNKNOWN_RETURN_CODE;
  }

  static String failureMessage(EntryOutcome outcome) {
    if (outcome.paid()) {
      return null;
    }
    return switch (outcome.returnCode()) {
      case "R01", "AM04" -> "insufficient funds";
      case "R02", "AC04" -> "account closed";
      case "R03", "AC01" -> "no account, or the account number is wrong";
      case "R04" -> "invalid account number";
      default -> "returned by the bank with code " + outcome.returnCode();
    };
  }

  private WrittenFile write(
      PayoutFileFormat format, String fileId, OffsetDateTime createdAt, List<PayoutLine> lines) {
    try {
      return format.write(fileId, createdAt, lines);
    } catch (UnrepresentablePayoutException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), UNREPRESENTABLE);
    }
  }

  /**
   * A recorded file, its bytes written again to the outbox if they went missing. When its payouts
   * changed meanwhile the bytes cannot be written again as recorded: they are left as they are, and
   * validation rejects the file (and fails its payouts).
   */
  private GeneratedFile restored(FileRow file) {
    Optional<byte[]> bytes = outbox.read(file.fileName());
    if (bytes.isEmpty() || !Outbox.sha256(bytes.get()).equals(file.sha256())) {
      WrittenFile rewritten =
          write(format(file.rail()), file.id(), file.createdAt(), linkedLines(file.id()));
      if (Outbox.sha256(rewritten.bytes()).equals(file.sha256())) {
        outbox.write(file.fileName(), rewritten.bytes());
      } else {
        log.warn(
            "payout file {} cannot be written again as recorded: its payouts changed", file.id());
      }
    }
    return generated(file, 0);
  }

  private FileValidation check(FileRow file) {
    Optional<byte[]> bytes = outbox.read(file.fileName());
    if (bytes.isEmpty()) {
      return FileValidation.failed("the file is not in the outbox");
    }
    String sha256 = Outbox.sha256(bytes.get());
    if (!sha256.equals(file.sha256())) {
      return FileValidation.failed("SHA-256 " + sha256 + " != recorded " + file.sha256());
    }
    List<PayoutLine> lines = linkedLines(file.id());
    Checks checks = new Checks();
    checks.equal("recorded entry count", file.entryCount(), lines.size());
    checks.equal(
        "recorded total amount",
        file.totalAmount(),
        lines.stream().mapToLong(PayoutLine::amount).sum());
    FileValidation recorded = checks.result();
    if (!recorded.valid()) {
      return recorded;
    }
    return format(file.rail()).check(bytes.get(), lines, control(file), references(file));
  }

  private GeneratedFile generated(FileRow file, int failedCount) {
    return new GeneratedFile(
        file.id(),
        file.fileName(),
        file.sha256(),
        file.entryCount(),
        file.totalAmount(),
        control(file),
        failedCount);
  }

  private String controlJson(String rail, WrittenFile written) {
    Map<String, Object> control = new LinkedHashMap<>();
    control.put(rail.equals("ach") ? "entry_hash" : "message_id", written.control());
    if (rail.equals("ach")) {
      control.put("batch_count", 1);
    }
    control.put("references", written.references());
    return json.writeValueAsString(control);
  }

  private String control(FileRow file) {
    JsonNode control = json.readTree(file.controlJson());
    return control.path(file.rail().equals("ach") ? "entry_hash" : "message_id").asString();
  }

  private Map<String, String> references(FileRow file) {
    Map<String, String> references = new LinkedHashMap<>();
    json.readTree(file.controlJson())
        .path("references")
        .properties()
        .forEach(entry -> references.put(entry.getKey(), entry.getValue().asString()));
    return references;
  }

  private PayoutFileFormat format(String rail) {
    PayoutFileFormat format = formats.get(rail);
    if (format == null) {
      throw new IllegalArgumentException("no payout file format for rail " + rail);
    }
    return format;
  }

  /** The approver is the actor: the workers have no caller of their own to name. */
  private AuditLog approverLog(String approver) {
    AuditActor actor = new AuditActor("staff", approver, approver, approver, "finance");
    return new AuditLog(jdbc, () -> Optional.of(actor), application, Clock.systemUTC());
  }

  private List<PayoutLine> pendingLines(long runId, String rail) {
    return lines(
        """
        WHERE p.run_id = ? AND p.rail = ? AND p.status = 'pending' AND p.payout_file_id IS NULL
        """,
        runId,
        rail);
  }

  private List<PayoutLine> linkedLines(String fileId) {
    return lines("WHERE p.payout_file_id = ?", fileId);
  }

  private List<PayoutLine> lines(String where, Object... params) {
    return jdbc.sql(
            """
            SELECT p.id, p.merchant_id, p.amount, p.rail, t.account_holder, t.routing_number,
                   t.bic, t.account_ciphertext
            FROM payouts p JOIN settlement_terms t ON t.id = p.terms_id
            """
                + where
                + " ORDER BY p.id")
        .params(params)
        .query(
            (row, n) -> {
              String merchantId = row.getString("merchant_id");
              boolean ach = row.getString("rail").equals("ach");
              return new PayoutLine(
                  row.getString("id"),
                  merchantId,
                  row.getLong("amount"),
                  row.getString("account_holder"),
                  ach ? row.getString("routing_number") : row.getString("bic"),
                  vault.unsealBankAccount(merchantId, row.getString("account_ciphertext")));
            })
        .list();
  }

  private Optional<FileRow> fileOf(long runId, String rail) {
    return files("WHERE run_id = ? AND rail = ?", runId, rail);
  }

  private FileRow file(String fileId) {
    return files("WHERE id = ?", fileId)
        .orElseThrow(() -> new IllegalArgumentException("no payout file " + fileId));
  }

  private Optional<FileRow> files(String where, Object... params) {
    return jdbc.sql(
            """
            SELECT id, run_id, rail, currency, file_name, sha256, entry_count, total_amount,
                   control::text AS control, status, approved_by, created_at
            FROM payout_files
            """
                + where)
        .params(params)
        .query(
            (row, n) ->
                new FileRow(
                    row.getString("id"),
                    row.getLong("run_id"),
                    row.getString("rail"),
                    row.getString("currency"),
                    row.getString("file_name"),
                    row.getString("sha256"),
                    row.getInt("entry_count"),
                    row.getLong("total_amount"),
                    row.getString("control"),
                    row.getString("status"),
                    row.getString("approved_by"),
                    row.getObject("created_at", OffsetDateTime.class)))
        .optional();
  }
}
