package io.payrail.api.settlement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payrail.api.error.ApiException;
import io.payrail.api.payment.CursorPages;
import io.payrail.api.security.Caller;
import io.payrail.workflows.settlement.Approval;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /staff/v1/settlement}: what finance reads to check a day before its money moves (runs,
 * what each merchant was computed, payouts, bank files) and the approval of a payout file
 * (maker-checker: the workflow refuses the run's requester). For users with the finance role only:
 * operators support merchants and see payments, not the payout side; admins manage the platform. A
 * person who does both gets both roles in Keycloak (docs/finance-api.md).
 */
@RestController
@Tag(name = "Finance: settlement")
class FinanceController {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern MERCHANT = Pattern.compile("mer_[A-Za-z0-9]{24}");
  private static final Pattern FILE = Pattern.compile("pf_[A-Za-z0-9]{24}");

  private final SettlementRunRepository runs;
  private final PayoutRepository payouts;
  private final PayoutFileApprovals approvals;

  FinanceController(
      SettlementRunRepository runs, PayoutRepository payouts, PayoutFileApprovals approvals) {
    this.runs = runs;
    this.payouts = payouts;
    this.approvals = approvals;
  }

  @GetMapping("/staff/v1/settlement/runs")
  @Operation(summary = "Settlement runs, newest business day first (finance)")
  RunList runs(
      @Parameter(description = "ISO 4217, e.g. USD") @RequestParam(required = false)
          String currency,
      @Parameter(description = "YYYY-MM-DD") @RequestParam(name = "business_date", required = false)
          String businessDate,
      @Parameter(description = "1 to 100, default 20") @RequestParam(defaultValue = "20") int limit,
      @Parameter(description = "A run id: the page after it")
          @RequestParam(name = "starting_after", required = false)
          Long startingAfter) {
    checkLimit(limit);
    if (currency != null && !CURRENCY.matcher(currency).matches()) {
      throw ApiException.invalid(
          "currency", "parameter_invalid", "currency must be three capital letters, e.g. USD");
    }
    if (startingAfter != null && runs.run(startingAfter).isEmpty()) {
      throw ApiException.invalid(
          "starting_after", "resource_missing", "No such settlement run: " + startingAfter);
    }
    List<SettlementRunRepository.Run> page =
        runs.runs(currency, date(businessDate), startingAfter, limit);
    boolean hasMore = page.size() > limit;
    return new RunList(
        "list",
        "/staff/v1/settlement/runs",
        hasMore,
        page.stream().limit(limit).map(RunObject::of).toList());
  }

  @GetMapping("/staff/v1/settlement/runs/{id}")
  @Operation(summary = "A run with its totals, a page of its merchants and its payout files")
  RunDetail run(
      @PathVariable String id,
      @Parameter(description = "1 to 100, default 100") @RequestParam(defaultValue = "100")
          int limit,
      @Parameter(description = "A merchant id: the merchants after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter) {
    checkLimit(limit);
    SettlementRunRepository.Run run = findRun(id);
    List<SettlementRunRepository.MerchantSettlement> merchants =
        runs.merchantSettlements(run.id(), startingAfter, limit);
    boolean hasMore = merchants.size() > limit;
    return new RunDetail(
        RunObject.of(run),
        runs.totals(run.id()),
        new MerchantSettlementList("list", hasMore, merchants.stream().limit(limit).toList()),
        runs.files(run.id()).stream().map(PayoutFileObject::of).toList());
  }

  @GetMapping("/staff/v1/settlement/payouts")
  @Operation(summary = "Payouts of a run or a merchant, newest first (finance)")
  FinancePayoutList payouts(
      @Parameter(description = "A settlement run's id")
          @RequestParam(name = "run_id", required = false)
          String runId,
      @RequestParam(name = "merchant_id", required = false) String merchantId,
      @Parameter(description = "1 to 100, default 20") @RequestParam(defaultValue = "20") int limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter,
      @RequestParam(name = "ending_before", required = false) String endingBefore) {
    CursorPages.check(limit, startingAfter, endingBefore);
    if (merchantId != null && !MERCHANT.matcher(merchantId).matches()) {
      throw ApiException.invalid(
          "merchant_id", "parameter_invalid", "Not a merchant id: " + merchantId);
    }
    Long run = runId == null ? null : runId(runId, "run_id");
    CursorPages.Page<PayoutRepository.Payout> page =
        payouts.list(merchantId, run, limit, startingAfter, endingBefore);
    return new FinancePayoutList(
        "list",
        "/staff/v1/settlement/payouts",
        page.hasMore(),
        page.data().stream().map(FinancePayout::of).toList());
  }

  @GetMapping("/staff/v1/settlement/payout_files/{id}")
  @Operation(summary = "A payout file: its hash, control totals and status (finance)")
  PayoutFileObject payoutFile(@PathVariable String id) {
    return PayoutFileObject.of(findFile(id));
  }

  /**
   * Approves a file for transmission as the signed-in finance user; the approver comes from the
   * token, never from the body. 409 when the workflow refuses: the approver requested the run, or
   * the file awaits no approval.
   */
  @PostMapping("/staff/v1/settlement/payout_files/{id}/approve")
  @Operation(summary = "Approve a payout file (finance, not the run's requester)")
  ApprovalResponse approve(
      @PathVariable String id, @Valid @RequestBody(required = false) ApprovalRequest request) {
    SettlementRunRepository.PayoutFile file = findFile(id);
    Caller caller =
        Caller.current().orElseThrow(() -> new IllegalStateException("no caller on /staff"));
    String note = request == null ? null : request.note();
    String status = approvals.approve(file, new Approval(caller.id(), note));
    return new ApprovalResponse("payout_file_approval", file.id(), caller.name(), status);
  }

  private SettlementRunRepository.Run findRun(String id) {
    return runs.run(runId(id, "id")).orElseThrow(() -> ApiException.notFound("settlement_run", id));
  }

  private SettlementRunRepository.PayoutFile findFile(String id) {
    if (!FILE.matcher(id).matches()) {
      throw ApiException.notFound("payout_file", id);
    }
    return runs.file(id).orElseThrow(() -> ApiException.notFound("payout_file", id));
  }

  private static long runId(String value, String param) {
    try {
      long id = Long.parseLong(value);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(param, "parameter_invalid", param + " must be a run id (a number)");
  }

  private static LocalDate date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          "business_date", "parameter_invalid", "business_date must be YYYY-MM-DD");
    }
  }

  private static void checkLimit(int limit) {
    CursorPages.check(limit, null, null);
  }

  private static Long seconds(OffsetDateTime time) {
    return time == null ? null : time.toEpochSecond();
  }

  record ApprovalRequest(@Size(max = 500) String note) {}

  record ApprovalResponse(String object, String payoutFile, String approver, String status) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RunObject(
      String id,
      String object,
      String currency,
      LocalDate businessDate,
      int runNumber,
      String workflowId,
      long windowStart,
      long windowEnd,
      String status,
      String supersedes,
      String requestedBy,
      String reason,
      String approvedBy,
      long created,
      Long completed) {
    static RunObject of(SettlementRunRepository.Run run) {
      return new RunObject(
          Long.toString(run.id()),
          "settlement_run",
          run.currency(),
          run.businessDate(),
          run.runNumber(),
          run.workflowId(),
          run.windowStart().toEpochSecond(),
          run.windowEnd().toEpochSecond(),
          run.status(),
          run.supersedesRunId() == null ? null : run.supersedesRunId().toString(),
          run.requestedBy(),
          run.reason(),
          run.approvedBy(),
          run.createdAt().toEpochSecond(),
          seconds(run.completedAt()));
    }
  }

  record RunList(String object, String url, boolean hasMore, List<RunObject> data) {}

  record MerchantSettlementList(
      String object, boolean hasMore, List<SettlementRunRepository.MerchantSettlement> data) {}

  /** A run: totals over every merchant, one page of merchants (by id), every file. */
  record RunDetail(
      RunObject run,
      Map<String, Object> totals,
      MerchantSettlementList merchants,
      List<PayoutFileObject> payoutFiles) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FinancePayout(
      String id,
      String object,
      String merchant,
      String run,
      String terms,
      long amount,
      String currency,
      String rail,
      String status,
      String payoutFile,
      String returnCode,
      String failureMessage,
      LocalDate businessDate,
      long created,
      long updated) {
    static FinancePayout of(PayoutRepository.Payout payout) {
      return new FinancePayout(
          payout.id(),
          "payout",
          payout.merchantId(),
          Long.toString(payout.runId()),
          Long.toString(payout.termsId()),
          payout.amount(),
          payout.currency(),
          payout.rail(),
          payout.status(),
          payout.payoutFileId(),
          payout.returnCode(),
          payout.failureMessage(),
          payout.businessDate(),
          payout.createdAt().toEpochSecond(),
          payout.updatedAt().toEpochSecond());
    }
  }

  record FinancePayoutList(String object, String url, boolean hasMore, List<FinancePayout> data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PayoutFileObject(
      String id,
      String object,
      String run,
      String rail,
      String currency,
      String format,
      String fileName,
      String sha256,
      int entryCount,
      long totalAmount,
      JsonNode control,
      String status,
      String requestedBy,
      String approvedBy,
      String bankFileId,
      Long transmitted,
      Long acknowledged,
      long created,
      long updated) {
    static PayoutFileObject of(SettlementRunRepository.PayoutFile file) {
      return new PayoutFileObject(
          file.id(),
          "payout_file",
          Long.toString(file.runId()),
          file.rail(),
          file.currency(),
          file.format(),
          file.fileName(),
          file.sha256(),
          file.entryCount(),
          file.totalAmount(),
          file.control(),
          file.status(),
          file.requestedBy(),
          file.approvedBy(),
          file.bankFileId(),
          seconds(file.transmittedAt()),
          seconds(file.acknowledgedAt()),
          file.createdAt().toEpochSecond(),
          file.updatedAt().toEpochSecond());
    }
  }
}
