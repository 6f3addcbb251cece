package io.payrail.activities;

import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.PaymentStatus;
import io.payrail.workflows.payment.PaymentTransition;
import java.security.SecureRandom;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Merchants, cards and payments rows as the API inserts them, and the transitions the payment
 * workflow reports about them.
 */
public final class TestPayments {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A payment row: {@code processing}, {@code last_sequence} 0, as the API leaves it. */
  public record Payment(String id, String merchantId, Money amount) {

    public PaymentTransition authorized() {
      return transition(1, PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_CAPTURE, 0, null, null);
    }

    public PaymentTransition declined(String code) {
      return transition(1, PaymentStatus.PROCESSING, PaymentStatus.FAILED, 0, code, null);
    }

    public PaymentTransition captured(long minor) {
      return transition(
          2, PaymentStatus.REQUIRES_CAPTURE, PaymentStatus.SUCCEEDED, minor, null, null);
    }

    public PaymentTransition canceled(String reason) {
      return transition(2, PaymentStatus.REQUIRES_CAPTURE, PaymentStatus.CANCELED, 0, null, reason);
    }

    /** The capture was refused for good and the authorization voided (the saga's compensation). */
    public PaymentTransition captureRefused(String code) {
      return transition(2, PaymentStatus.REQUIRES_CAPTURE, PaymentStatus.FAILED, 0, code, null);
    }

    private PaymentTransition transition(
        int sequence,
        PaymentStatus from,
        PaymentStatus to,
        long captured,
        String declineCode,
        String cancellationReason) {
      return new PaymentTransition(
          id,
          merchantId,
          sequence,
          from,
          to,
          amount,
          new Money(captured, amount.currency()),
          from == PaymentStatus.PROCESSING && to == PaymentStatus.FAILED ? null : "auth_" + id,
          declineCode,
          declineCode == null ? null : "The payment failed: " + declineCode,
          cancellationReason);
    }
  }

  private final JdbcClient jdbc;

  public TestPayments(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  public String merchant() {
    String id = "mer_" + random(16);
    jdbc.sql("INSERT INTO merchants (id, name) VALUES (?, 'Test merchant')").param(id).update();
    return id;
  }

  public Payment payment(String merchantId, Money amount) {
    String card = "card_" + random(24);
    jdbc.sql(
            """
            INSERT INTO cards (token, merchant_id, brand, bin, last4, exp_month, exp_year,
                               fingerprint, pan_ciphertext)
            VALUES (?, ?, 'VISA', '424242', '4242', 12, 2030, 'fp', 'vault:v1:never-revealed')
            """)
        .params(card, merchantId)
        .update();
    String id = "pay_" + random(24);
    jdbc.sql(
            """
            INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method,
                                  card_token, metadata, customer_email)
            VALUES (?, ?, ?, ?, 'processing', 'manual', ?, '{"order": "42"}', 'ada@example.com')
            """)
        .params(id, merchantId, amount.minor(), amount.currency().getCurrencyCode(), card)
        .update();
    return new Payment(id, merchantId, amount);
  }

  private static String random(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
