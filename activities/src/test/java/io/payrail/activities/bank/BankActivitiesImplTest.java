package io.payrail.activities.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.card.RevealedCard;
import io.payrail.platform.card.UnknownCardException;
import io.payrail.platform.vault.VaultUnavailableException;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.BankActivities;
import io.payrail.workflows.payment.BankInquiry;
import io.payrail.workflows.payment.BankResult;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bank activities against the real bank simulator on loopback; the vault is a mock. */
class BankActivitiesImplTest {

  private static final Money TEN_DOLLARS = Money.of(1000, "USD");
  private static final String APPROVES = "4242424242424242";
  private static final String INSUFFICIENT_FUNDS = "4000000000009995";
  private static final String NEVER_ANSWERS = "4000000000000259";
  private static final String TOKEN = "card_aaaaaaaaaaaaaaaaaaaaaaaa";

  private BankSimulator bank;
  private final CardVault vault = mock(CardVault.class);
  private BankActivitiesImpl activities;

  @BeforeEach
  void start() {
    bank = BankSimulator.start(0, new Faults(0, 0, 0, 0, 2_000, 2_000));
    activities =
        new BankActivitiesImpl(
            new BankProperties(
                URI.create(bank.baseUrl()), Duration.ofSeconds(1), Duration.ofMillis(300)),
            vault);
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void authorize_approved_isAccepted_andThenTheCvcIsPurged() {
    cardIs(APPROVES, "123");

    BankResult result = activities.authorize("pay_1:authorize", TEN_DOLLARS, TOKEN);

    assertThat(result.wasAccepted()).isTrue();
    assertThat(result.authorizationId()).isNotBlank();
    verify(vault).purgeCvc(TOKEN);
  }

  @Test
  void authorize_declined_isTheDeclineCode_andTheCvcIsPurged() {
    cardIs(INSUFFICIENT_FUNDS, "123");

    assertThat(activities.authorize("pay_1:authorize", TEN_DOLLARS, TOKEN))
        .isEqualTo(BankResult.declined("insufficient_funds"));
    verify(vault).purgeCvc(TOKEN);
  }

  @Test
  void authorize_retriedAfterThePurge_getsTheBanksRecordedAnswer_notAMismatch() {
    when(vault.reveal(TOKEN))
        .thenReturn(new RevealedCard(APPROVES, 12, 2030, "123"))
        .thenReturn(new RevealedCard(APPROVES, 12, 2030, null));

    BankResult first = activities.authorize("pay_1:authorize", TEN_DOLLARS, TOKEN);
    BankResult retry = activities.authorize("pay_1:authorize", TEN_DOLLARS, TOKEN);

    assertThat(retry).isEqualTo(first);
  }

  @Test
  void authorize_ofACardWithoutCvc_isSentWithout() {
    cardIs(APPROVES, null);

    assertThat(activities.authorize("pay_9:authorize", TEN_DOLLARS, TOKEN).wasAccepted()).isTrue();
  }

  @Test
  void authorize_withoutAnswer_isANonRetryableUnknownOutcome_thatKeepsTheCvc() {
    cardIs(NEVER_ANSWERS, "123");

    assertThatThrownBy(() -> activities.authorize("pay_2:authorize", TEN_DOLLARS, TOKEN))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BankActivities.OUTCOME_UNKNOWN);
              assertThat(failure.isNonRetryable()).isTrue();
              assertNoCardNumberIn(failure, NEVER_ANSWERS);
            });
    verify(vault, never()).purgeCvc(TOKEN);
  }

  @Test
  void inquire_tellsWhatTheBankDidWithARequest_orThatItNeverSawIt() {
    cardIs(NEVER_ANSWERS, "123");
    assertThatThrownBy(() -> activities.authorize("pay_3:authorize", TEN_DOLLARS, TOKEN))
        .isInstanceOf(ApplicationFailure.class);

    BankInquiry lost = activities.inquire("pay_3:authorize");

    assertThat(lost.processed()).isTrue();
    assertThat(lost.result().wasAccepted()).isTrue();
    assertThat(activities.inquire("pay_4:authorize")).isEqualTo(BankInquiry.notProcessed());
  }

  @Test
  void captureAndVoid_mapTheBanksAnswers() {
    cardIs(APPROVES, "123");
    String first = activities.authorize("pay_5:authorize", TEN_DOLLARS, TOKEN).authorizationId();
    String second = activities.authorize("pay_6:authorize", TEN_DOLLARS, TOKEN).authorizationId();

    assertThat(activities.capture("pay_5:capture", first, TEN_DOLLARS))
        .isEqualTo(BankResult.accepted(first));
    assertThat(activities.capture("pay_5:capture-again", first, TEN_DOLLARS))
        .isEqualTo(BankResult.refused("already_captured"));
    assertThat(activities.voidAuthorization("pay_6:void", second))
        .isEqualTo(BankResult.accepted(second));
  }

  @Test
  void bankDown_isRetryable_andKeepsTheCvc() {
    cardIs(APPROVES, "123");
    bank.close();

    assertThatThrownBy(() -> activities.authorize("pay_7:authorize", TEN_DOLLARS, TOKEN))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BankActivitiesImpl.BANK_UNAVAILABLE);
              assertThat(failure.isNonRetryable()).isFalse();
              assertNoCardNumberIn(failure, APPROVES);
            });
    assertThatThrownBy(() -> activities.inquire("pay_7:authorize"))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, failure -> assertThat(failure.isNonRetryable()).isFalse());
    verify(vault, never()).purgeCvc(TOKEN);
  }

  @Test
  void unknownCardToken_isNotRetried() {
    when(vault.reveal(TOKEN)).thenThrow(new UnknownCardException(TOKEN));

    assertThatThrownBy(() -> activities.authorize("pay_8:authorize", TEN_DOLLARS, TOKEN))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BankActivitiesImpl.UNKNOWN_CARD);
              assertThat(failure.isNonRetryable()).isTrue();
            });
  }

  @Test
  void vaultUnavailable_isRetried_andNothingReachesTheBank() {
    when(vault.reveal(TOKEN))
        .thenThrow(new VaultUnavailableException("decrypt card-data", new java.io.IOException()));

    assertThatThrownBy(() -> activities.authorize("pay_9:authorize", TEN_DOLLARS, TOKEN))
        .isInstanceOf(VaultUnavailableException.class)
        .isNotInstanceOf(ApplicationFailure.class);
    assertThat(activities.inquire("pay_9:authorize"))
        .as("the bank never saw the request")
        .isEqualTo(BankInquiry.notProcessed());
    verify(vault, never()).purgeCvc(TOKEN);
  }

  @Test
  void properties_requireTheUrl_andDefaultTheTimeouts() {
    BankProperties defaults = new BankProperties(URI.create("http://bank:8090"), null, null);

    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> new BankProperties(null, null, null))
        .hasMessageContaining("payrail.bank.url");
  }

  private void cardIs(String number, String cvc) {
    when(vault.reveal(TOKEN)).thenReturn(new RevealedCard(number, 12, 2030, cvc));
  }

  private static void assertNoCardNumberIn(Throwable failure, String number) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(number);
      assertThat(t.toString()).doesNotContain(number);
    }
  }
}
