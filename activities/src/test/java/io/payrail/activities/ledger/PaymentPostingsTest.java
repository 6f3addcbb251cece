package io.payrail.activities.ledger;

import static io.payrail.activities.ledger.PaymentPostings.ACQUIRER_AUTHORIZED;
import static io.payrail.activities.ledger.PaymentPostings.ACQUIRER_RECEIVABLE;
import static io.payrail.activities.ledger.PaymentPostings.MERCHANT_AUTHORIZED;
import static io.payrail.activities.ledger.PaymentPostings.MERCHANT_PAYABLE;
import static io.payrail.workflows.payment.PaymentStatus.CANCELED;
import static io.payrail.workflows.payment.PaymentStatus.FAILED;
import static io.payrail.workflows.payment.PaymentStatus.PROCESSING;
import static io.payrail.workflows.payment.PaymentStatus.REQUIRES_CAPTURE;
import static io.payrail.workflows.payment.PaymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.ledger.Ledger.Line;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.PaymentStatus;
import io.payrail.workflows.payment.PaymentTransition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentPostingsTest {

  private static final String PAY = "pay_abc";
  private static final String MER = "mer_1";

  @Test
  void authorization_movesTheAmountOnHold() {
    assertThat(PaymentPostings.of(transition(1, PROCESSING, REQUIRES_CAPTURE, 0)))
        .containsExactly(
            new PaymentPostings.Entry(
                "pay_abc:1:authorization",
                "authorization",
                List.of(
                    new Line(ACQUIRER_AUTHORIZED, null, 1000),
                    new Line(MERCHANT_AUTHORIZED, MER, -1000))));
  }

  @Test
  void fullCapture_releasesTheHold_andOwesTheMerchant_withoutARelease() {
    assertThat(PaymentPostings.of(transition(2, REQUIRES_CAPTURE, SUCCEEDED, 1000)))
        .containsExactly(
            new PaymentPostings.Entry(
                "pay_abc:2:capture",
                "capture",
                List.of(
                    new Line(MERCHANT_AUTHORIZED, MER, 1000),
                    new Line(ACQUIRER_AUTHORIZED, null, -1000),
                    new Line(ACQUIRER_RECEIVABLE, null, 1000),
                    new Line(MERCHANT_PAYABLE, MER, -1000))));
  }

  @Test
  void partialCapture_releasesTheRest_inAnEntryOfItsOwn() {
    List<PaymentPostings.Entry> entries =
        PaymentPostings.of(transition(2, REQUIRES_CAPTURE, SUCCEEDED, 600));

    assertThat(entries)
        .extracting(PaymentPostings.Entry::kind)
        .containsExactly("capture", "release");
    assertThat(entries.get(1))
        .isEqualTo(
            new PaymentPostings.Entry(
                "pay_abc:2:release",
                "release",
                List.of(
                    new Line(MERCHANT_AUTHORIZED, MER, 400),
                    new Line(ACQUIRER_AUTHORIZED, null, -400))));
  }

  @Test
  void cancel_andFailureAfterAuthorization_voidTheWholeAuthorization() {
    for (PaymentStatus end : List.of(CANCELED, FAILED)) {
      assertThat(PaymentPostings.of(transition(2, REQUIRES_CAPTURE, end, 0)))
          .containsExactly(
              new PaymentPostings.Entry(
                  "pay_abc:2:void",
                  "void",
                  List.of(
                      new Line(MERCHANT_AUTHORIZED, MER, 1000),
                      new Line(ACQUIRER_AUTHORIZED, null, -1000))));
    }
  }

  @Test
  void failureBeforeAuthorization_postsNothing() {
    assertThat(PaymentPostings.of(transition(1, PROCESSING, FAILED, 0))).isEmpty();
  }

  @Test
  void everyEntry_balances() {
    for (var t :
        List.of(
            transition(1, PROCESSING, REQUIRES_CAPTURE, 0),
            transition(2, REQUIRES_CAPTURE, SUCCEEDED, 1),
            transition(2, REQUIRES_CAPTURE, SUCCEEDED, 999),
            transition(2, REQUIRES_CAPTURE, CANCELED, 0))) {
      for (PaymentPostings.Entry entry : PaymentPostings.of(t)) {
        assertThat(entry.lines().stream().mapToLong(Line::amount).sum()).isZero();
      }
    }
  }

  @Test
  void aTransitionOutsideTheStateMachine_orAnImpossibleCapture_isRejected() {
    assertThatThrownBy(() -> PaymentPostings.of(transition(1, PROCESSING, SUCCEEDED, 1000)))
        .hasMessageContaining("no posting rule for processing -> succeeded");
    assertThatThrownBy(() -> PaymentPostings.of(transition(2, REQUIRES_CAPTURE, SUCCEEDED, 0)))
        .hasMessageContaining("captured 0");
    assertThatThrownBy(() -> PaymentPostings.of(transition(2, REQUIRES_CAPTURE, SUCCEEDED, 1001)))
        .hasMessageContaining("captured 1001");
  }

  private static PaymentTransition transition(
      int sequence, PaymentStatus from, PaymentStatus to, long captured) {
    return new PaymentTransition(
        PAY,
        MER,
        sequence,
        from,
        to,
        Money.of(1000, "USD"),
        Money.of(captured, "USD"),
        "auth_1",
        null,
        null,
        null);
  }
}
