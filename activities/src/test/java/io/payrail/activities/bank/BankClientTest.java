package io.payrail.activities.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.workflows.common.Money;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter against the real bank simulator on loopback. */
class BankClientTest {

  private static final Money TEN_DOLLARS = Money.of(1000, "USD");
  private static final String NEVER_ANSWERS = "4000000000000259";

  private BankSimulator bank;
  private BankClient client;

  @BeforeEach
  void start() {
    bank = BankSimulator.start(0, new Faults(0, 0, 0, 0, 2_000, 2_000));
    client =
        new BankClient(URI.create(bank.baseUrl()), Duration.ofSeconds(1), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void approval_thenCapture_areAccepted() {
    var auth =
        (BankResponse.Accepted) client.authorize("a1", TEN_DOLLARS, card("4242424242424242"));
    var capture = client.capture("c1", auth.authorizationId(), TEN_DOLLARS);

    assertThat(auth.status()).isEqualTo("authorized");
    assertThat(capture)
        .isInstanceOfSatisfying(
            BankResponse.Accepted.class, c -> assertThat(c.capturedMinor()).isEqualTo(1000));
  }

  @Test
  void decline_isAValue_notAnException() {
    assertThat(client.authorize("d1", TEN_DOLLARS, card("4000000000009995")))
        .isEqualTo(new BankResponse.Declined("insufficient_funds"));
  }

  @Test
  void secondCapture_isRefused() {
    var auth =
        (BankResponse.Accepted) client.authorize("a1", TEN_DOLLARS, card("4242424242424242"));
    client.capture("c1", auth.authorizationId(), TEN_DOLLARS);

    assertThat(client.capture("c2", auth.authorizationId(), TEN_DOLLARS))
        .isInstanceOfSatisfying(
            BankResponse.Refused.class, r -> assertThat(r.code()).isEqualTo("already_captured"));
  }

  @Test
  void processingError_isRetryable_andTheSameRequestIdThenSucceeds() {
    CardDetails flaky = card("4000000000000119");

    assertThatThrownBy(() -> client.authorize("p1", TEN_DOLLARS, flaky))
        .isInstanceOf(BankUnavailableException.class);
    assertThatThrownBy(() -> client.authorize("p1", TEN_DOLLARS, flaky))
        .isInstanceOf(BankUnavailableException.class);
    assertThat(client.authorize("p1", TEN_DOLLARS, flaky))
        .isInstanceOf(BankResponse.Accepted.class);
  }

  @Test
  void noAnswer_isAnUnknownOutcome_thatTheInquiryResolves() {
    assertThatThrownBy(() -> client.authorize("lost", TEN_DOLLARS, card(NEVER_ANSWERS)))
        .isInstanceOfSatisfying(
            BankOutcomeUnknownException.class,
            e -> {
              assertThat(e.requestId()).isEqualTo("lost");
              assertThat(e.getMessage()).doesNotContain(NEVER_ANSWERS);
            });

    var resolved = client.inquire("lost");

    assertThat(resolved)
        .get()
        .isInstanceOfSatisfying(
            BankResponse.Accepted.class, a -> assertThat(a.status()).isEqualTo("authorized"));
    var reversal =
        client.voidAuthorization(
            "lost-void", ((BankResponse.Accepted) resolved.get()).authorizationId());
    assertThat(reversal)
        .isInstanceOfSatisfying(
            BankResponse.Accepted.class, v -> assertThat(v.status()).isEqualTo("voided"));
  }

  @Test
  void inquiry_ofARequestNeverProcessed_isEmpty() {
    assertThat(client.inquire("never-sent")).isEmpty();
  }

  @Test
  void outage503_isRetryable_notUnknown() {
    bank.setFaults(new Faults(1.0, 0, 0, 0, 2_000, 2_000));

    assertThatThrownBy(() -> client.authorize("o1", TEN_DOLLARS, card("4242424242424242")))
        .isInstanceOf(BankUnavailableException.class);
  }

  @Test
  void bankDown_isRetryable_notUnknown() {
    bank.close();

    assertThatThrownBy(() -> client.authorize("x1", TEN_DOLLARS, card("4242424242424242")))
        .isInstanceOf(BankUnavailableException.class);
  }

  @Test
  void cardDetails_neverPrintTheNumberOrCvc() {
    assertThat(card("4242424242424242").toString()).isEqualTo("CardDetails[...4242]");
  }

  private static CardDetails card(String number) {
    return new CardDetails(number, 12, 2030, "123");
  }
}
