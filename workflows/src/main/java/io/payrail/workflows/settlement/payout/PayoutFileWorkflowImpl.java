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
 * WARN log and the {@code SettlementStatus} search attribute {@code approval_overdue} / {@code
 * ack_overdue}) and then keeps waiting: a late approval or acknowledgement still completes the
 * file, since abandoning a file the bank may hold would risk paying twice.
 */
public class PayoutFileWorkflowImpl implements PayoutFileWorkflow {

  /** How long finance has to approve a file before operators are alerted. */
  static final Duration APPROVAL_DEADLINE = Duration.ofHours(24);

  /** How long the bank has to acknowledge a transmitted file before operators are alerted. */
  static final Duration ACK_DEADLINE = Duration.ofHours(4);

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

  @Override
  public String run(PayoutFileInput input) {
    this.input = input;
    Workflow.upsertTypedSearchAttributes(
        PayrailSearchAttributes.CURRENCY.valueSet(input.currency()),
        PayrailSearchAttributes.BUSINESS_DATE.valueSet(input.businessDate()),
        PayrailSearchAttributes.RUN_NUMBER.valueSet((long) input.runNumber()),
        PayrailSearchAttributes.SETTLEMENT_STATUS.valueSet(status.apiName()));

    GeneratedFile file = generate();
    if (file == null) {
      return moveTo(PayoutFileStatus.REJECTED);
    }
    if (file.hasNoPayouts()) {
      return moveTo(PayoutFileStatus.EMPTY);
    }
    fileId = file.fileId();

    moveTo(PayoutFileStatus.VALIDATING);
    FileValidation validation = files.validateFile(fileId);
    if (!validation.valid()) {
      log.warn("payout file {} failed validation: {}", fileId, validation.problem());
      return moveTo(PayoutFileStatus.REJECTED);
    }

    moveTo(PayoutFileStatus.AWAITING_APPROVAL);
    awaitApproval();
    if (approvedBy == null) {
      files.voidFile(fileId, voidReason);
      return moveTo(PayoutFileStatus.VOIDED);
    }

    moveTo(PayoutFileStatus.TRANSMITTING);
    Transmission transmission = bank.transmitFile(fileId);

    moveTo(PayoutFileStatus.AWAITING_ACK);
    Acknowledgement acknowledgement = awaitAcknowledgement(transmission.bankFileId());
    String ended = files.recordFileAcknowledgement(fileId, acknowledgement);
    return moveTo(PayoutFileStatus.valueOf(ended.toUpperCase(Locale.ROOT)));
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
        log.warn(
            "no payout file for run {} ({}): {}",
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
      log.warn(
          "payout file {} of {} {} run {} ({}) has waited {} for approval: operators, chase"
              + " finance",
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

  private Acknowledgement awaitAcknowledgement(String bankFileId) {
    Promise<Acknowledgement> answer =
        Async.function(acknowledgements::awaitFileAcknowledgement, bankFileId);
    if (!Workflow.await(ACK_DEADLINE, answer::isCompleted)) {
      log.warn(
          "payout file {} (bank file {}) transmitted {} ago and still not acknowledged: operators,"
              + " ask the bank",
          fileId,
          bankFileId,
          ACK_DEADLINE);
      moveTo(PayoutFileStatus.ACK_OVERDUE);
    }
    return answer.get();
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
