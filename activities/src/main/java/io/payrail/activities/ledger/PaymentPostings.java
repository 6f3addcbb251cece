package io.payrail.activities.ledger;

import io.payrail.activities.ledger.Ledger.Line;
import io.payrail.workflows.payment.PaymentStatus;
import io.payrail.workflows.payment.PaymentTransition;
import java.util.List;

/**
 * The ledger entries a payment transition posts: the posting rules tabled in {@link Ledger}.
 *
 * <pre>{@code
 * for (PaymentPostings.Entry entry : PaymentPostings.of(transition)) {
 *   ledger.post(entry.idempotencyKey(), entry.kind(), transition.paymentId(), currency, entry.lines());
 * }
 * }</pre>
 */
public final class PaymentPostings {

  public static final String ACQUIRER_AUTHORIZED = "acquirer_authorized";
  public static final String MERCHANT_AUTHORIZED = "merchant_authorized";
  public static final String ACQUIRER_RECEIVABLE = "acquirer_receivable";
  public static final String MERCHANT_PAYABLE = "merchant_payable";

  /**
   * One entry to post.
   *
   * @param idempotencyKey {@code <payment id>:<sequence>:<kind>}
   */
  public record Entry(String idempotencyKey, String kind, List<Line> lines) {}

  private PaymentPostings() {}

  /**
   * The entries of {@code transition}, in posting order; none for {@code processing -> failed}.
   *
   * @throws IllegalArgumentException for a change of status the payment state machine does not
   *     have, or a captured amount outside 1 to the authorized amount
   */
  public static List<Entry> of(PaymentTransition transition) {
    PaymentStatus from = transition.from();
    PaymentStatus to = transition.to();
    long authorized = transition.amount().minor();
    String merchant = transition.merchantId();
    if (from == PaymentStatus.PROCESSING && to == PaymentStatus.FAILED) {
      return List.of();
    }
    if (from == PaymentStatus.PROCESSING && to == PaymentStatus.REQUIRES_CAPTURE) {
      return List.of(
          entry(
              transition,
              "authorization",
              Line.debit(ACQUIRER_AUTHORIZED, null, authorized),
              Line.credit(MERCHANT_AUTHORIZED, merchant, authorized)));
    }
    if (from == PaymentStatus.REQUIRES_CAPTURE && to == PaymentStatus.SUCCEEDED) {
      return capture(transition, authorized, captured(transition, authorized));
    }
    if (from == PaymentStatus.REQUIRES_CAPTURE
        && (to == PaymentStatus.CANCELED || to == PaymentStatus.FAILED)) {
      return List.of(release(transition, "void", authorized));
    }
    throw new IllegalArgumentException(
        "no posting rule for " + from.apiName() + " -> " + to.apiName());
  }

  private static List<Entry> capture(PaymentTransition transition, long authorized, long captured) {
    String merchant = transition.merchantId();
    Entry capture =
        entry(
            transition,
            "capture",
            Line.debit(MERCHANT_AUTHORIZED, merchant, captured),
            Line.credit(ACQUIRER_AUTHORIZED, null, captured),
            Line.debit(ACQUIRER_RECEIVABLE, null, captured),
            Line.credit(MERCHANT_PAYABLE, merchant, captured));
    if (captured == authorized) {
      return List.of(capture);
    }
    return List.of(capture, release(transition, "release", authorized - captured));
  }

  /** Gives back an authorized amount that will not be captured. */
  private static Entry release(PaymentTransition transition, String kind, long amount) {
    return entry(
        transition,
        kind,
        Line.debit(MERCHANT_AUTHORIZED, transition.merchantId(), amount),
        Line.credit(ACQUIRER_AUTHORIZED, null, amount));
  }

  private static long captured(PaymentTransition transition, long authorized) {
    if (transition.amountCaptured() == null
        || !transition.amountCaptured().currency().equals(transition.amount().currency())) {
      throw new IllegalArgumentException(
          "a capture needs a captured amount in the payment's currency");
    }
    long captured = transition.amountCaptured().minor();
    if (captured <= 0 || captured > authorized) {
      throw new IllegalArgumentException(
          "captured " + captured + " is not between 1 and the authorized " + authorized);
    }
    return captured;
  }

  private static Entry entry(PaymentTransition transition, String kind, Line... lines) {
    String key = transition.paymentId() + ":" + transition.sequence() + ":" + kind;
    return new Entry(key, kind, List.of(lines));
  }
}
