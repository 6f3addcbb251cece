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
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
@EnableConfigurationProperties(PayoutFileProperties.class)
public class PayoutFileActivitiesImpl implements PayoutFileActivities {

  public static final String PAYOUTS_IN_TRANSIT = "payouts_in_transit";
  public static final String PAYOUT_BANK = "payout_bank";
  public static final String MERCHANT_AVAILABLE = "merchant_available";

  /** The return code of the payouts of a file the bank rejected whole. */
  static final String FILE_REJECTED = "REJECTED";

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
            "ach", new NachaFormat(properties.ach()), "sepa", new Pain001Format(properties.sepa()));
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
    List<PayoutLine> lines = pendingLines(request.runId(), request.rail());
    if (lines.isEmpty()) {
      return GeneratedFile.none();
    }
    PayoutFileFormat format = format(request.rail());
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
    long total = lines.stream().mapToLong(PayoutLine::amount).sum();
    String sha256 = Outbox.sha256(written.bytes());
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
                      total,
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
    return generated(fileOf(request.runId(), request.rail()).orElseThrow());
  }

  @Override
  public FileValidation validateFile(String fileId) {
    FileRow file = file(fileId);
    if (VALIDATED.contains(file.status())) {
      return FileValidation.ok();
    }
    if (file.status().equals("rejected")) {
      return FileValidation.failed(
          json.readTree(file.controlJson()).path("validation_problem").asString("rejected"));
    }
    FileValidation validation = check(file);
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
                .params(validation.valid() ? "validated" : "rejected", validation.problem(), fileId)
                .update());
    if (!validation.valid()) {
      log.warn("payout file {} failed validation: {}", fileId, validation.problem());
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
    transactions.executeWithoutResult(
        status -> {
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
          List<Map<String, Object>> payouts =
              jdbc.sql(
                      """
                      UPDATE payouts SET status = 'voided', updated_at = now()
                      WHERE payout_file_id = ? AND status = 'pending'
                      RETURNING id, merchant_id, amount
                      """)
                  .param(fileId)
                  .query()
                  .listOfRows();
          Currency currency = Currency.getInstance(file.currency());
          for (Map<String, Object> payout : payouts) {
            long amount = ((Number) payout.get("amount")).longValue();
            ledger.post(
                "payout_return:" + payout.get("id"),
                "payout_return",
                null,
                currency,
                List.of(
                    Ledger.Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
                    Ledger.Line.credit(
                        MERCHANT_AVAILABLE, (String) payout.get("merchant_id"), amount)));
          }
          log.info("payout file {} voided ({}): {} payouts", fileId, reason, payouts.size());
        });
  }

  @Override
  public String recordFileAcknowledgement(String fileId, Acknowledgement acknowledgement) {
    FileRow file = file(fileId);
    Map<String, String> payoutByReference = new HashMap<>();
    references(file).forEach((payoutId, reference) -> payoutByReference.put(reference, payoutId));
    Currency currency = Currency.getInstance(file.currency());
    return transactions.execute(
        status -> {
          if (acknowledgement.accepted()) {
            for (EntryOutcome outcome : acknowledgement.entries()) {
              String payoutId = payoutByReference.get(outcome.reference());
              if (payoutId == null) {
                throw new IllegalArgumentException(
                    "the bank acknowledged " + outcome.reference() + ", not in file " + fileId);
              }
              settle(payoutId, outcome.paid(), outcome.returnCode(), currency);
            }
            warnOfUnacknowledged(fileId, acknowledgement.entries().size(), file.entryCount());
          } else {
            log.warn("the bank rejected payout file {}: {}", fileId, acknowledgement.reason());
            payoutByReference.values().forEach(id -> settle(id, false, FILE_REJECTED, currency));
          }
          String ended = acknowledgement.accepted() ? "acknowledged" : "rejected";
          jdbc.sql(
                  """
                  UPDATE payout_files SET status = ?, acknowledged_at = now(), updated_at = now()
                  WHERE id = ? AND status = 'transmitted'
                  """)
              .params(ended, fileId)
              .update();
          return ended;
        });
  }

  /** Moves an in-transit payout to paid or failed, and posts its entry once. */
  private void settle(String payoutId, boolean paid, String returnCode, Currency currency) {
    Map<String, Object> payout =
        jdbc.sql("SELECT merchant_id, amount, status FROM payouts WHERE id = ? FOR UPDATE")
            .param(payoutId)
            .query()
            .singleRow();
    String merchantId = (String) payout.get("merchant_id");
    long amount = ((Number) payout.get("amount")).longValue();
    String target = paid ? "paid" : "failed";
    if (payout.get("status").equals("in_transit")) {
      jdbc.sql(
              """
              UPDATE payouts SET status = ?, return_code = ?, failure_message = ?,
                                 updated_at = now()
              WHERE id = ?
              """)
          .params(
              target, paid ? null : returnCode, paid ? null : failureMessage(returnCode), payoutId)
          .update();
    } else if (!payout.get("status").equals(target)) {
      throw new IllegalStateException(
          "payout " + payoutId + " is " + payout.get("status") + ", not in transit");
    }
    if (paid) {
      ledger.post(
          "payout_paid:" + payoutId,
          "payout_paid",
          null,
          currency,
          List.of(
              Ledger.Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
              Ledger.Line.credit(PAYOUT_BANK, null, amount)));
    } else {
      ledger.post(
          "payout_return:" + payoutId,
          "payout_return",
          null,
          currency,
          List.of(
              Ledger.Line.debit(PAYOUTS_IN_TRANSIT, null, amount),
              Ledger.Line.credit(MERCHANT_AVAILABLE, merchantId, amount)));
    }
  }

  static String failureMessage(String returnCode) {
    return switch (returnCode) {
      case "R01", "AM04" -> "insufficient funds";
      case "R02", "AC04" -> "account closed";
      case "R03", "AC01" -> "no account, or the account number is wrong";
      case "R04" -> "invalid account number";
      case FILE_REJECTED -> "the bank rejected the whole file";
      default -> "returned by the bank";
    };
  }

  private static void warnOfUnacknowledged(String fileId, int acknowledged, int entries) {
    if (acknowledged < entries) {
      log.warn(
          "the bank acknowledged {} of the {} entries of payout file {}: the rest stay in transit",
          acknowledged,
          entries,
          fileId);
    }
  }

  private WrittenFile write(
      PayoutFileFormat format, String fileId, OffsetDateTime createdAt, List<PayoutLine> lines) {
    try {
      return format.write(fileId, createdAt, lines);
    } catch (UnrepresentablePayoutException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), UNREPRESENTABLE);
    }
  }

  /** A recorded file, its bytes written again to the outbox if they went missing. */
  private GeneratedFile restored(FileRow file) {
    Optional<byte[]> bytes = outbox.read(file.fileName());
    if (bytes.isEmpty() || !Outbox.sha256(bytes.get()).equals(file.sha256())) {
      WrittenFile rewritten =
          write(format(file.rail()), file.id(), file.createdAt(), linkedLines(file.id()));
      if (!Outbox.sha256(rewritten.bytes()).equals(file.sha256())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "payout file "
                + file.id()
                + " cannot be written again as recorded: its payouts changed",
            "payout_file_changed");
      }
      outbox.write(file.fileName(), rewritten.bytes());
    }
    return generated(file);
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

  private GeneratedFile generated(FileRow file) {
    return new GeneratedFile(
        file.id(),
        file.fileName(),
        file.sha256(),
        file.entryCount(),
        file.totalAmount(),
        control(file));
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
