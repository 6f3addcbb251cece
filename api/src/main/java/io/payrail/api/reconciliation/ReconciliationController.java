package io.payrail.api.reconciliation;

import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.api.reconciliation.ReconciliationRepository.Break;
import io.payrail.api.reconciliation.ReconciliationRepository.BreakFilter;
import io.payrail.api.reconciliation.ReconciliationRepository.Page;
import io.payrail.api.reconciliation.ReconciliationRepository.Report;
import io.payrail.api.security.Caller;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.reconciliation.ReconciliationRequest;
import io.payrail.workflows.reconciliation.ReconciliationWorkflow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /staff/v1/reconciliation}: finance starts the reconciliation of a bank settlement report,
 * lists reports and breaks, and resolves breaks with a note (audited, {@code
 * reconciliation_break.resolved}). Resolving a break that is already resolved is a 409: two people
 * working the same break should know the other got there first, and the first note stands.
 */
@RestController
@Tag(name = "Staff: reconciliation")
@EnableConfigurationProperties(ReconciliationProperties.class)
class ReconciliationController {

  private static final Logger log = LoggerFactory.getLogger(ReconciliationController.class);
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Pattern REPORT_ID = Pattern.compile("sr_[A-Za-z0-9]{24}");
  private static final Pattern BREAK_ID = Pattern.compile("rb_[A-Za-z0-9]{24}");
  private static final Set<String> STATUSES = Set.of("open", "resolved");
  private static final Set<String> KINDS =
      Set.of("missing", "unexpected", "amount_mismatch", "duplicate");
  private static final int MAX_NOTE = 1000;

  private final ReconciliationRepository repository;
  private final WorkflowClient temporal;
  private final AuditLog audit;
  private final TransactionTemplate transaction;
  private final ReconciliationProperties properties;

  ReconciliationController(
      ReconciliationRepository repository,
      WorkflowClient temporal,
      AuditLog audit,
      PlatformTransactionManager transactionManager,
      ReconciliationProperties properties) {
    this.repository = repository;
    this.temporal = temporal;
    this.audit = audit;
    this.transaction = new TransactionTemplate(transactionManager);
    this.properties = properties;
  }

  record StartRequest(String currency, String date) {}

  /**
   * @param started false when the reconciliation of that day was already running: nothing new was
   *     started (its workflow re-checks its breaks daily for a while)
   */
  record Started(String object, String workflowId, String currency, String date, boolean started) {}

  record ResolveRequest(String note) {}

  record ReportList(String object, String url, boolean hasMore, List<Report> data) {}

  record BreakList(String object, String url, boolean hasMore, List<Break> data) {}

  @PostMapping("/staff/v1/reconciliation/reports")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(
      summary =
          "Reconcile the bank's settlement report of a currency and past day (finance): fetch it,"
              + " ingest it once by hash, match it, open breaks")
  Started start(@RequestBody StartRequest request) {
    if (request == null || request.currency() == null) {
      throw ApiException.invalid("currency", "parameter_missing", "currency is required");
    }
    String currency = request.currency().toUpperCase(Locale.ROOT);
    if (!CURRENCY.matcher(currency).matches()) {
      throw ApiException.invalid("currency", "parameter_invalid", "currency: an ISO 4217 code");
    }
    if (request.date() == null) {
      throw ApiException.invalid("date", "parameter_missing", "date is required");
    }
    LocalDate date;
    try {
      date = LocalDate.parse(request.date());
    } catch (DateTimeException e) {
      throw ApiException.invalid("date", "parameter_invalid", "date: YYYY-MM-DD");
    }
    if (!date.isBefore(LocalDate.now(ZoneOffset.UTC))) {
      throw ApiException.invalid(
          "date",
          "parameter_invalid",
          "date: a past day; the bank's report of a day is complete once its UTC day has ended");
    }
    String workflowId = ReconciliationWorkflow.workflowId(currency, date.toString());
    ReconciliationWorkflow workflow =
        temporal.newWorkflowStub(
            ReconciliationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.SETTLEMENT)
                .build());
    boolean started = true;
    try {
      WorkflowClient.start(
          workflow::reconcile,
          new ReconciliationRequest(
              currency, date.toString(), properties.alertAfterDays(), properties.watchDays()));
      log.info("reconciliation {} started by {}", workflowId, callerName());
    } catch (WorkflowExecutionAlreadyStarted e) {
      started = false;
    }
    return new Started("reconciliation", workflowId, currency, date.toString(), started);
  }

  @GetMapping("/staff/v1/reconciliation/reports")
  @Operation(summary = "Settlement reports ingested, newest first (finance)")
  ReportList reports(
      @RequestParam(required = false) String currency,
      @Parameter(description = "1 to 100, default 10") @RequestParam(defaultValue = "10") int limit,
      @Parameter(description = "A report id: the page after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter) {
    checkLimit(limit);
    checkId("starting_after", startingAfter, REPORT_ID);
    Page<Report> page = repository.reports(currency(currency), limit, startingAfter);
    return new ReportList("list", "/staff/v1/reconciliation/reports", page.hasMore(), page.data());
  }

  @GetMapping("/staff/v1/reconciliation/breaks")
  @Operation(summary = "Reconciliation breaks, newest first, filtered (finance)")
  BreakList breaks(
      @Parameter(description = "open or resolved") @RequestParam(required = false) String status,
      @Parameter(description = "missing, unexpected, amount_mismatch or duplicate")
          @RequestParam(required = false)
          String kind,
      @RequestParam(required = false) String currency,
      @Parameter(description = "Only breaks opened at least this many days ago")
          @RequestParam(name = "min_age_days", required = false)
          Integer minAgeDays,
      @Parameter(description = "Only this report's breaks") @RequestParam(required = false)
          String report,
      @RequestParam(defaultValue = "10") int limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    checkLimit(limit);
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.invalid("status", "parameter_invalid", "status: open or resolved");
    }
    if (kind != null && !KINDS.contains(kind)) {
      throw ApiException.invalid(
          "kind", "parameter_invalid", "kind: missing, unexpected, amount_mismatch or duplicate");
    }
    if (minAgeDays != null && (minAgeDays < 0 || minAgeDays > 3650)) {
      throw ApiException.invalid("min_age_days", "parameter_invalid", "min_age_days: 0 to 3650");
    }
    checkId("report", report, REPORT_ID);
    checkId("starting_after", startingAfter, BREAK_ID);
    Page<Break> page =
        repository.breaks(
            new BreakFilter(status, kind, currency(currency), minAgeDays, report),
            limit,
            startingAfter);
    return new BreakList("list", "/staff/v1/reconciliation/breaks", page.hasMore(), page.data());
  }

  @GetMapping("/staff/v1/reconciliation/breaks/{id}")
  @Operation(summary = "One reconciliation break (finance)")
  Break get(@PathVariable String id) {
    return repository
        .findBreak(id)
        .orElseThrow(() -> ApiException.notFound("reconciliation_break", id));
  }

  @PostMapping("/staff/v1/reconciliation/breaks/{id}/resolve")
  @Operation(
      summary = "Resolve an open break with a note (finance, audited); a resolved one is a 409")
  Break resolve(@PathVariable String id, @RequestBody ResolveRequest request) {
    String note = request == null || request.note() == null ? "" : request.note().strip();
    if (note.isEmpty() || note.length() > MAX_NOTE) {
      throw ApiException.invalid(
          "note", "parameter_invalid", "note: why the break is resolved, 1 to 1000 characters");
    }
    Break before = get(id);
    String resolvedBy = callerName();
    return transaction.execute(
        status -> {
          Break resolved =
              repository
                  .resolve(id, note, resolvedBy)
                  .orElseThrow(
                      () ->
                          new ApiException(
                              HttpStatus.CONFLICT,
                              ErrorTypes.INVALID_REQUEST,
                              "break_already_resolved",
                              "Break " + id + " is already resolved.",
                              "id"));
          audit.record(
              "reconciliation_break.resolved",
              AuditTarget.of("reconciliation_break", id),
              AuditChanges.of(
                  Map.of("status", before.status()),
                  Map.of(
                      "status", resolved.status(),
                      "resolution_note", note,
                      "kind", resolved.kind(),
                      "reference", resolved.reference(),
                      "report_id", resolved.report())));
          return resolved;
        });
  }

  private static String callerName() {
    return Caller.current().map(Caller::name).orElse("unknown");
  }

  private static String currency(String currency) {
    if (currency == null) {
      return null;
    }
    String upper = currency.toUpperCase(Locale.ROOT);
    if (!CURRENCY.matcher(upper).matches()) {
      throw ApiException.invalid("currency", "parameter_invalid", "currency: an ISO 4217 code");
    }
    return upper;
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > 100) {
      throw ApiException.invalid("limit", "parameter_invalid", "limit must be between 1 and 100");
    }
  }

  private static void checkId(String param, String value, Pattern pattern) {
    if (value != null && !pattern.matcher(value).matches()) {
      throw ApiException.invalid(param, "parameter_invalid", "Not a valid id: " + param);
    }
  }
}
