package io.payrail.activities.bank;

import io.payrail.platform.card.CardVault;
import io.payrail.platform.card.RevealedCard;
import io.payrail.platform.card.UnknownCardException;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.payment.BankActivities;
import io.payrail.workflows.payment.BankInquiry;
import io.payrail.workflows.payment.BankResult;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The bank activities over {@link BankClient}. The card number and CVC come from the vault for the
 * length of the authorization call only; once the bank has given a definite answer (approved,
 * declined or refused) the CVC is purged, as card rules require. A request whose outcome is unknown
 * keeps its CVC: the workflow may have to send it again. An attempt that finds the CVC gone asks
 * the bank for its answer to the request id before sending anything, because a retry of an answered
 * request must be the same request, CVC included.
 *
 * <p>Failures, as {@link BankActivities} promises:
 *
 * <ul>
 *   <li>{@link BankUnavailableException}: a retryable {@code ApplicationFailure} of type {@value
 *       #BANK_UNAVAILABLE};
 *   <li>{@link BankOutcomeUnknownException}: a non-retryable one of type {@value
 *       BankActivities#OUTCOME_UNKNOWN};
 *   <li>{@link UnknownCardException}: a non-retryable one of type {@value #UNKNOWN_CARD}.
 * </ul>
 *
 * No message here or in the adapter names a card number.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.PAYMENTS)
@EnableConfigurationProperties(BankProperties.class)
public class BankActivitiesImpl implements BankActivities {

  /** ApplicationFailure type of a request the bank did not process; retried. */
  public static final String BANK_UNAVAILABLE = "BankUnavailable";

  /** ApplicationFailure type of a card token the vault does not hold; not retried. */
  public static final String UNKNOWN_CARD = "UnknownCard";

  private final BankClient bank;
  private final CardVault vault;

  public BankActivitiesImpl(BankProperties properties, CardVault vault) {
    this.bank =
        new BankClient(properties.url(), properties.connectTimeout(), properties.requestTimeout());
    this.vault = vault;
  }

  @Override
  public BankResult authorize(String requestId, Money amount, String cardToken) {
    RevealedCard card = reveal(cardToken);
    if (card.cvc() == null) {
      // The merchant sent none, or an earlier attempt got the bank's answer and purged it. A
      // request without the CVC would then differ from the one the bank answered, which it refuses
      // (idempotency_mismatch): ask for the recorded answer instead.
      BankInquiry earlier = inquire(requestId);
      if (earlier.processed()) {
        return earlier.result();
      }
    }
    BankResult result =
        call(
            () ->
                bank.authorize(
                    requestId,
                    amount,
                    new CardDetails(card.number(), card.expMonth(), card.expYear(), card.cvc())));
    vault.purgeCvc(cardToken);
    return result;
  }

  @Override
  public BankResult capture(String requestId, String authorizationId, Money amount) {
    return call(() -> bank.capture(requestId, authorizationId, amount));
  }

  @Override
  public BankResult refund(String requestId, String authorizationId, Money amount) {
    return call(() -> bank.refund(requestId, authorizationId, amount));
  }

  @Override
  public BankResult voidAuthorization(String requestId, String authorizationId) {
    return call(() -> bank.voidAuthorization(requestId, authorizationId));
  }

  @Override
  public BankInquiry inquire(String requestId) {
    try {
      return bank.inquire(requestId)
          .map(response -> BankInquiry.processed(toResult(response)))
          .orElseGet(BankInquiry::notProcessed);
    } catch (BankUnavailableException e) {
      throw unavailable(e);
    }
  }

  private RevealedCard reveal(String cardToken) {
    try {
      return vault.reveal(cardToken);
    } catch (UnknownCardException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), UNKNOWN_CARD, e);
    }
  }

  private static BankResult call(Supplier<BankResponse> request) {
    try {
      return toResult(request.get());
    } catch (BankUnavailableException e) {
      throw unavailable(e);
    } catch (BankOutcomeUnknownException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), BankActivities.OUTCOME_UNKNOWN, e);
    }
  }

  private static ApplicationFailure unavailable(BankUnavailableException e) {
    return ApplicationFailure.newFailureWithCause(e.getMessage(), BANK_UNAVAILABLE, e);
  }

  private static BankResult toResult(BankResponse response) {
    return switch (response) {
      case BankResponse.Accepted accepted -> BankResult.accepted(accepted.authorizationId());
      case BankResponse.Declined declined -> BankResult.declined(declined.declineCode());
      case BankResponse.Refused refused -> BankResult.refused(refused.code());
    };
  }
}
