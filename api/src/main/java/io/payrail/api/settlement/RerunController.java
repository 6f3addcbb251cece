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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Finance reruns (docs/finance-api.md): a finance user asks for run n+1 of a posted day with a
 * reason; it is computed beside run n and its diff read here before anything posts; a second
 * finance user approves it (maker-checker, decided by the workflow) or rejects it. Finance role
 * only, like the rest of {@code /staff/v1/settlement}.
 */
@RestController
@Tag(name = "Finance: settlement")
class RerunController {

  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final Pattern MERCHANT = Pattern.compile("mer_[A-Za-z0-9]{24}");

  private final Reruns reruns;
  private final RerunDecisions decisions;
  private final SettlementRunRepository runs;
  private final RunDiffRepository diffs;

  RerunController(
      Reruns reruns,
      RerunDecisions decisions,
      SettlementRunRepository runs,
      RunDiffRepository diffs) {
    this.reruns = reruns;
    this.decisions = decisions;
    this.runs = runs;
    this.diffs = diffs;
  }

  record RerunRequest(String currency, String businessDate, String reason) {}

  @PostMapping(Reruns.PATH)
  @Operation(summary = "Ask for a rerun of a posted day (finance; another finance user approves)")
  ResponseEntity<JsonNode> request(
      @Parameter(description = "Required: the same request again starts nothing new")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey,
      @RequestBody RerunRequest request) {
    if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
      throw ApiException.invalid(
          "Idempotency-Key",
          idempotencyKey == null ? "parameter_missing" : "idempotency_key_invalid",
          "An Idempotency-Key header of 1 to 255 printable characters is required");
    }
    if (request.currency() == null || !CURRENCY.matcher(request.currency()).matches()) {
      throw ApiException.invalid(
          "currency", "parameter_invalid", "currency must be three capital letters, e.g. USD");
    }
    LocalDate date = date(request.businessDate());
    if (request.reason() == null || request.reason().isBlank()) {
      throw ApiException.invalid("reason", "parameter_missing", "A rerun needs a reason");
    }
    if (request.reason().length() > 1000) {
      throw ApiException.invalid("reason", "parameter_invalid", "reason: 1000 characters at most");
    }
    Reruns.Answer answer =
        reruns.request(caller(), idempotencyKey, request.currency(), date, request.reason());
    return ResponseEntity.status(answer.status()).body(answer.body());
  }

  @GetMapping("/staff/v1/settlement/runs/{id}/diff")
  @Operation(summary = "What a rerun changes per merchant, before and after (finance)")
  RunDiff diff(
      @PathVariable String id,
      @Parameter(description = "1 to 100, default 100") @RequestParam(defaultValue = "100")
          int limit,
      @Parameter(description = "A merchant id: the merchants after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter) {
    CursorPages.check(limit, null, null);
    if (startingAfter != null && !MERCHANT.matcher(startingAfter).matches()) {
      throw ApiException.invalid(
          "starting_after", "parameter_invalid", "Not a merchant id: " + startingAfter);
    }
    SettlementRunRepository.Run run = rerun(id);
    boolean applied = List.of("posting", "posted").contains(run.status());
    List<RunDiffRepository.MerchantDiff> page = diffs.page(run.id(), applied, startingAfter, limit);
    return new RunDiff(
        "settlement_run_diff",
        FinanceController.RunObject.of(run),
        totals(diffs.all(run.id(), applied)),
        new MerchantDiffList("list", page.size() > limit, page.stream().limit(limit).toList()));
  }

  @PostMapping("/staff/v1/settlement/runs/{id}/approve")
  @Operation(summary = "Approve a rerun (finance, not its requester)")
  Decision approve(
      @PathVariable String id,
      @Valid @RequestBody(required = false) FinanceController.ApprovalRequest request) {
    return decide(id, "approve", request);
  }

  @PostMapping("/staff/v1/settlement/runs/{id}/reject")
  @Operation(summary = "Reject a rerun: run n stays as it is (finance)")
  Decision reject(
      @PathVariable String id,
      @Valid @RequestBody(required = false) FinanceController.ApprovalRequest request) {
    return decide(id, "reject", request);
  }

  private Decision decide(String id, String decision, FinanceController.ApprovalRequest request) {
    SettlementRunRepository.Run run = rerun(id);
    Caller caller = caller();
    String note = request == null ? null : request.note();
    String status = decisions.decide(run, decision, new Approval(caller.id(), note));
    return new Decision("settlement_rerun_decision", run.id() + "", caller.name(), status);
  }

  private SettlementRunRepository.Run rerun(String id) {
    long runId;
    try {
      runId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("id", "parameter_invalid", "id must be a run id (a number)");
    }
    SettlementRunRepository.Run run =
        runs.run(runId).orElseThrow(() -> ApiException.notFound("settlement_run", id));
    if (run.supersedesRunId() == null) {
      throw ApiException.invalid(
          "id", "not_a_rerun", "Run " + id + " is a scheduled run; only a rerun has a diff");
    }
    return run;
  }

  private static Caller caller() {
    return Caller.current().orElseThrow(() -> new IllegalStateException("no caller on /staff"));
  }

  private static LocalDate date(String value) {
    if (value == null) {
      throw ApiException.invalid(
          "business_date", "parameter_missing", "business_date (YYYY-MM-DD) is required");
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          "business_date", "parameter_invalid", "business_date must be YYYY-MM-DD");
    }
  }

  private static Totals totals(List<RunDiffRepository.MerchantDiff> all) {
    RunDiffRepository.Change zero = new RunDiffRepository.Change(0, 0, 0);
    RunDiffRepository.Change gross = zero;
    RunDiffRepository.Change refunds = zero;
    RunDiffRepository.Change fees = zero;
    RunDiffRepository.Change held = zero;
    RunDiffRepository.Change released = zero;
    RunDiffRepository.Change net = zero;
    RunDiffRepository.Change payout = zero;
    for (RunDiffRepository.MerchantDiff m : all) {
      gross = gross.plus(m.gross());
      refunds = refunds.plus(m.refunds());
      fees = fees.plus(m.fees());
      held = held.plus(m.reserveHeld());
      released = released.plus(m.reserveReleased());
      net = net.plus(m.net());
      payout =
          payout.plus(
              new RunDiffRepository.Change(
                  m.payout().before(), m.payout().after(), m.payout().change()));
    }
    return new Totals(all.size(), gross, refunds, fees, held, released, net, payout);
  }

  record Totals(
      int merchants,
      RunDiffRepository.Change gross,
      RunDiffRepository.Change refunds,
      RunDiffRepository.Change fees,
      RunDiffRepository.Change reserveHeld,
      RunDiffRepository.Change reserveReleased,
      RunDiffRepository.Change net,
      RunDiffRepository.Change payout) {}

  record MerchantDiffList(
      String object, boolean hasMore, List<RunDiffRepository.MerchantDiff> data) {}

  record RunDiff(
      String object, FinanceController.RunObject run, Totals totals, MerchantDiffList merchants) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Decision(String object, String run, String decidedBy, String status) {}
}
