package io.payrail.api.payment;

import io.payrail.workflows.common.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The request bodies of the payment endpoints, validated field by field before anything runs. */
final class PaymentRequests {

  /**
   * PostgreSQL text cannot hold U+0000; refused at the edge rather than failing in the database.
   */
  static final String NO_NUL = "[^\\x{0}]*";

  static final String NUL_MESSAGE = "must not contain the character U+0000";

  private PaymentRequests() {}

  /** {@code POST /v1/payments}: a card or a card token, never both. */
  record Create(
      @Schema(description = "In minor units of the currency: 1000 is $10.00, or ¥1000")
          @NotNull
          @Positive
          @Max(Money.MAX_MINOR)
          Long amount,
      @Schema(description = "ISO 4217, three letters, any case", example = "usd") @NotNull
          String currency,
      @Valid Card card,
      @Schema(description = "A card token returned by an earlier payment (card.token)")
          @Pattern(regexp = "card_[A-Za-z0-9]{24}")
          String cardToken,
      @Schema(
              allowableValues = {"automatic", "manual"},
              defaultValue = "automatic")
          @Pattern(regexp = "automatic|manual")
          String captureMethod,
      @Size(max = 1000) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String description,
      @Schema(description = "What the customer's statement shows: 5 to 22 characters")
          @Size(min = 5, max = 22)
          @Pattern(regexp = "[^<>\\\\'\"*\\x{0}]*", message = "must not contain < > \\ ' \" *")
          String statementDescriptor,
      @Schema(description = "Up to 50 keys of at most 40 characters, values of at most 500")
          @Size(max = 50)
          Map<
                  @NotBlank @Size(max = 40) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String,
                  @NotNull @Size(max = 500) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String>
              metadata,
      @Email @Size(max = 254) String customerEmail) {

    /**
     * These parameters as the idempotency check compares them: the card number replaced by its
     * keyed fingerprint, the CVC left out, so the stored request hash reveals neither.
     */
    Create withoutCardSecrets(UnaryOperator<String> fingerprint) {
      if (card == null) {
        return this;
      }
      Card masked =
          new Card(
              card.number() == null ? null : fingerprint.apply(card.number()),
              card.expMonth(),
              card.expYear(),
              null,
              card.holderName());
      return new Create(
          amount,
          currency,
          masked,
          cardToken,
          captureMethod,
          description,
          statementDescriptor,
          metadata,
          customerEmail);
    }
  }

  /** Card details: validated by {@link io.payrail.api.card.CardValidator}, then tokenized. */
  record Card(
      @Schema(example = "4242424242424242") @Size(max = 30) String number,
      @Schema(example = "12") Integer expMonth,
      @Schema(example = "2030") Integer expYear,
      @Schema(example = "123") @Size(max = 4) String cvc,
      @Size(max = 200) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String holderName) {

    @Override
    public String toString() {
      return "Card[...]";
    }
  }

  /** {@code POST /v1/payments/{id}/capture}: the whole authorization unless an amount is given. */
  record Capture(@Positive @Max(Money.MAX_MINOR) Long amountToCapture) {}

  /** {@code POST /v1/refunds}: what is left to refund unless an amount is given. */
  record Refund(
      @Schema(description = "The payment to refund", example = "pay_...")
          @NotNull
          @Pattern(regexp = "pay_[A-Za-z0-9]{24}")
          String payment,
      @Positive @Max(Money.MAX_MINOR) Long amount,
      @Schema(allowableValues = {"duplicate", "fraudulent", "requested_by_customer"})
          @Pattern(regexp = "duplicate|fraudulent|requested_by_customer")
          String reason,
      @Size(max = 50)
          Map<
                  @NotBlank @Size(max = 40) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String,
                  @NotNull @Size(max = 500) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String>
              metadata) {}

  /** {@code POST /v1/payments/{id}/cancel}, with Stripe's reasons. */
  record Cancel(
      @Schema(allowableValues = {"duplicate", "fraudulent", "requested_by_customer", "abandoned"})
          @Pattern(regexp = "duplicate|fraudulent|requested_by_customer|abandoned")
          String cancellationReason) {}
}
