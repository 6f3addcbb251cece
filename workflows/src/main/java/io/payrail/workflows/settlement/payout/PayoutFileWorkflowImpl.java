package io.payrail.workflows.settlement.payout;

import io.payrail.workflows.common.PayrailSearchAttributes;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.PayoutFileInput;
import io.payrail.workflows.settlement.PayoutFileWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * generate -> validate -> approval (maker-checker) -> transmit -> acknowledgement -> payouts paid
 * or returned. Both waits for people or the bank have a durable deadline that alerts operators (a
 * {@code settlement.alert} log line and the {@code SettlementStatus} search attribute {@code
 * approval_overdue} / {@code ack_overdue}) and then keeps waiting: a late approval or
 * acknowledgement still completes the file, since abandoning a file the bank may hold would risk
 * paying twice.
 *
 * <p>No payout is left in limbo: a payout the format cannot carry, the payouts of a file that fails
 * validation or that the bank refuses or rejects are failed and their amounts returned to the
 * merchants' balances (by the activities, alerted); a bank that answers for some entries only is
 * asked again, with backoff, until every payout of the file is paid or failed, the workflow
 * continuing as new every {@link #ROUNDS_PER_RUN} partial answers so that its history stays
 * bounded.
 */
public class PayoutFileWorkflowImpl implements PayoutFileWorkflow {

  /** How long finance has to approve a file before operators are alerted. */
  static final Duration APPROVAL_DEADLINE = Duration.ofHours(24);

  /** How long the bank has to acknowledge a transmitted file before operators are alerted. */
  static final Duration ACK_DEADLINE = Duration.ofHours(4);

  /** The first wait before asking the bank again about entries it has not answered for. */
  static final Duration PARTIAL_POLL = Duration.ofMinutes(1);

  /** The longest wait between two questions about outstanding entries. */
  static final Duration PARTIAL_POLL_MAX = Duration.ofHours(1);

  /**
   * Partial answers one run records before it continues as new: about ten events each, so a history
   * stays under a thousand events however long the bank takes.
   */
  static final int ROUNDS_PER_RUN = 50;

  /** ApplicationFailure type of an approval refused by the update's handler. */
  public static final String APPROVAL_REFUSED = "payout_file_approval_refused";

  private static final Logger log = Workflow.getLogger(PayoutFileWorkflowImpl.class);
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final PayoutFileActivities files =
      Workflow.newActivityStub(
          PayoutFileActivities.class,
          ActivityOptions.newBuilder()
              // generation reads Vault once per payout and writes the file: bounded, not instant
              .setStartToCloseTimeout(Duration.ofMinutes(5))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(5))
                      .setDoNotRetry(
                          PayoutFileActivities.UNREPRESENTABLE,
                          IllegalArgumentException.class.getName())
                      .build())
              .build());

  private final BankFileActivities bank =
      Workflow.newActivityStub(
          BankFileActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(2))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(5))
                      .setMaximumInterval(Duration.ofMinutes(10))
                      .build())
              .build());

  /** Polling: one attempt per retry, 10 s apart at first, then up to every 10 minutes. */
  private final BankFileActivities acknowledgements =
      Workflow.newActivityStub(
          BankFileActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(10))
                      .setBackoffCoefficient(2)
                      .setMaximumInterval(Duration.ofMinutes(10))
                      .build())
              .build());

  private PayoutFileInput input;
  private String fileId;
  private PayoutFileStatus status = PayoutFileStatus.GENERATING;
  private boolean approving;
  private String approvedBy;
  private String voidReason;
  private PayoutFileInput.Sent sent;

  @Override
  public String run(PayoutFileInput input) {
    this.input = input;
    if (input.sent() != null) {
      sent = input.sent();
      fileId = sent.fileId();
      status =
          sent.overdueAlerted()
              ? PayoutFileStatus.ACK_OVERDUE
              : PayoutFileStatus.PARTIALLY_ACKNOWLEDGED;
    }
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.CURRENCY.valueSet(input.currency()),
        PayrailSearchAttributes.BUSINESS_DATE.valueSet(input.businessDate()),
        PayrailSearchAttributes.RUN_NUMBER.valueSet((long) input.runNumber()),
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(status.apiName()));
    if (sent != null) {
      return acknowledge();
    }

    GeneratedFile file = generate();
    if (file == null) {
      return moveTo(PayoutFileStatus.REJECTED);
    }
    if (file.failedCount() > 0) {
      log.error(
          "settlement.alert: {} payouts of run {} ({}) could not be written to its file: failed"
              + " and returned to the merchants' balances (payouts with return code {} or {})",
          file.failedCount(),
          input.runId(),
          input.rail(),
          PayoutFileActivities.RETURN_UNREPRESENTABLE,
          PayoutFileActivities.RETURN_OVER_FILE_LIMIT);
    }
    if (file.hasNoPayouts()) {
      return moveTo(file.failedCount() > 0 ? PayoutFileStatus.REJECTED : PayoutFileStatus.EMPTY);
    }
    fileId = file.fileId();

    moveTo(PayoutFileStatus.VALIDATING);
    FileValidation validation = files.validateFile(fileId);
    if (!validation.valid()) {
      log.error(
          "settlement.alert: payout file {} failed validation and will not be sent; its payouts"
              + " are failed ({}) and returned to the merchants' balances: {}",
          fileId,
          PayoutFileActivities.RETURN_INVALID_FILE,
          validation.problem());
      return moveTo(PayoutFileStatus.REJECTED);
    }

    moveTo(PayoutFileStatus.AWAITING_APPROVAL);
    awaitApproval();
    if (approvedBy == null) {
      files.voidFile(fileId, voidReason);
      return moveTo(PayoutFileStatus.VOIDED);
    }

    moveTo(PayoutFileStatus.TRANSMITTING);
    Transmission transmission = transmit();
    if (transmission == null) {
      return moveTo(PayoutFileStatus.REJECTED);
    }
    sent =
        new PayoutFileInput.Sent(
            fileId,
            transmission.bankFileId(),
            Workflow.currentTimeMillis(),
            false,
            PARTIAL_POLL.toMillis());
    moveTo(PayoutFileStatus.AWAITING_ACK);
    return acknowledge();
  }

  @Override
  public void validateApprove(Approval approval) {
    if (!status.awaitsApproval() || approving || approvedBy != null || voidReason != null) {
      throw new IllegalStateException(
          "this payout file is not awaiting approval: its status is " + status.apiName());
    }
    if (isRequester(approval.approver())) {
      throw new IllegalArgumentException(
          "the user who requested the settlement run may not approve its payout file");
    }
  }

  @Override
  public String approve(Approval approval) {
    // Two approvals validated at the same moment both pass the validator: one wins here.
    if (!status.awaitsApproval()
        || approving
        || approvedBy != null
        || voidReason != null
        || isRequester(approval.approver())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this payout file is not awaiting approval by " + approval.approver(), APPROVAL_REFUSED);
    }
    approving = true;
    try {
      files.recordFileApproval(fileId, approval);
      approvedBy = approval.approver();
    } finally {
      // A recording that failed for good leaves the file awaiting another approval.
      approving = false;
    }
    return "approved";
  }

  @Override
  public void voidFile(String reason) {
    // during an approval's recording the void is kept: it applies only if the recording fails
    if (approvedBy == null && voidReason == null) {
      voidReason = reason == null ? "voided" : reason;
    } else {
      log.info("payout file {} is {}: void ignored", fileId, status.apiName());
    }
  }

  /** Null when a payout cannot be written in the format: the file is refused, nothing is sent. */
  private GeneratedFile generate() {
    try {
      return files.generateFile(
          new FileRequest(
              newFileId(),
              input.runId(),
              input.rail(),
              input.currency(),
              input.businessDate(),
              Workflow.currentTimeMillis()));
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure failure
          && PayoutFileActivities.UNREPRESENTABLE.equals(failure.getType())) {
        log.error(
            "settlement.alert: no payout file for run {} ({}), its payouts stay pending: {}",
            input.runId(),
            input.rail(),
            failure.getOriginalMessage());
        return null;
      }
      throw e;
    }
  }

  private void awaitApproval() {
    if (!Workflow.await(APPROVAL_DEADLINE, this::approvedOrVoided)) {
      log.error(
          "settlement.alert: payout file {} of {} {} run {} ({}) has waited {} for approval:"
              + " operators, chase finance",
          fileId,
          input.currency(),
          input.businessDate(),
          input.runNumber(),
          input.rail(),
          APPROVAL_DEADLINE);
      moveTo(PayoutFileStatus.APPROVAL_OVERDUE);
      Workflow.await(this::approvedOrVoided);
    }
  }

  /** A void that comes during an approval's recording waits for it: the approval wins. */
  private boolean approvedOrVoided() {
    return approvedBy != null || (voidReason != null && !approving);
  }

  /**
   * Uploads the approved file. A file the bank refuses (4xx) or whose bytes changed since the
   * approval never reaches the bank: its payouts are failed and returned, and null is returned.
   */
  private Transmission transmit() {
    try {
      return bank.transmitFile(fileId);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure failure
          && (BankFileActivities.REFUSED.equals(failure.getType())
              || BankFileActivities.FILE_CHANGED.equals(failure.getType()))) {
        String returnCode =
            BankFileActivities.REFUSED.equals(failure.getType())
                ? PayoutFileActivities.RETURN_REJECTED
                : PayoutFileActivities.RETURN_INVALID_FILE;
        log.error(
            "settlement.alert: payout file {} was not sent ({}); its payouts are failed ({}) and"
                + " returned to the merchants' balances",
            fileId,
            failure.getOriginalMessage(),
            returnCode);
        files.failFile(fileId, returnCode, failure.getOriginalMessage());
        return null;
      }
      throw e;
    }
  }

  /**
   * Records the bank's answers until every payout of the file is paid or failed. A partial answer
   * is recorded and the bank asked again later; after {@link #ROUNDS_PER_RUN} of them the workflow
   * continues as new with where it stands.
   */
  private String acknowledge() {
    for (int round = 0; round < ROUNDS_PER_RUN; round++) {
      Acknowledgement answer = awaitAcknowledgement();
      RecordedAcknowledgement recorded = files.recordFileAcknowledgement(fileId, answer);
      if (recorded.complete()) {
        if (!answer.accepted()) {
          log.error(
              "settlement.alert: the bank rejected payout file {} ({}): its payouts are failed"
                  + " ({}) and returned to the merchants' balances",
              fileId,
              answer.reason(),
              PayoutFileActivities.RETURN_REJECTED);
        }
        return moveTo(PayoutFileStatus.valueOf(recorded.fileStatus().toUpperCase(Locale.ROOT)));
      }
      if (!sent.overdueAlerted()) {
        moveTo(PayoutFileStatus.PARTIALLY_ACKNOWLEDGED);
        if (Workflow.currentTimeMillis() >= ackDeadline()) {
          alertAckOverdue(recorded.outstanding());
        }
      }
      Workflow.sleep(Duration.ofMillis(sent.pollMillis()));
      sent =
          new PayoutFileInput.Sent(
              sent.fileId(),
              sent.bankFileId(),
              sent.transmittedAtMillis(),
              sent.overdueAlerted(),
              Math.min(sent.pollMillis() * 2, PARTIAL_POLL_MAX.toMillis()));
    }
    Workflow.continueAsNew(input.continuing(sent));
    throw new IllegalStateException("continue-as-new returned");
  }

  /**
   * The bank's next answer (the activity polls while the bank has not answered at all), alerting
   * operators once if the acknowledgement deadline passes first.
   */
  private Acknowledgement awaitAcknowledgement() {
    Promise<Acknowledgement> answer =
        Async.function(acknowledgements::awaitFileAcknowledgement, sent.bankFileId());
    if (!sent.overdueAlerted()) {
      long left = ackDeadline() - Workflow.currentTimeMillis();
      if (left <= 0 || !Workflow.await(Duration.ofMillis(left), answer::isCompleted)) {
        alertAckOverdue(-1);
      }
    }
    return answer.get();
  }

  private long ackDeadline() {
    return sent.transmittedAtMillis() + ACK_DEADLINE.toMillis();
  }

  /**
   * @param outstanding payouts the bank has not answered for, or -1 when it answered none
   */
  private void alertAckOverdue(int outstanding) {
    log.error(
        "settlement.alert: payout file {} (bank file {}) transmitted {} ago and {}: operators, ask"
            + " the bank",
        fileId,
        sent.bankFileId(),
        ACK_DEADLINE,
        outstanding < 0
            ? "still not acknowledged"
            : outstanding + " of its payouts still without an answer");
    moveTo(PayoutFileStatus.ACK_OVERDUE);
    sent =
        new PayoutFileInput.Sent(
            sent.fileId(), sent.bankFileId(), sent.transmittedAtMillis(), true, sent.pollMillis());
  }

  private boolean isRequester(String approver) {
    return input != null && approver.strip().equalsIgnoreCase(input.requestedBy().strip());
  }

  private String moveTo(PayoutFileStatus to) {
    status = to;
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(to.apiName()));
    return to.apiName();
  }

  /**
   * Random but the same on replay: {@link Workflow#randomUUID} is seeded per execution. Each
   * character takes 10 bits of a 64-bit word, six characters a word.
   */
  private static String newFileId() {
    UUID first = Workflow.randomUUID();
    UUID second = Workflow.randomUUID();
    long[] words = {
      first.getMostSignificantBits(), first.getLeastSignificantBits(),
      second.getMostSignificantBits(), second.getLeastSignificantBits()
    };
    StringBuilder id = new StringBuilder("pf_");
    for (int i = 0; i < 24; i++) {
      int chunk = (int) ((words[i / 6] >>> ((i % 6) * 10)) & 0x3FF);
      id.append(BASE62.charAt(chunk % BASE62.length()));
    }
    return id.toString();
  }
}
