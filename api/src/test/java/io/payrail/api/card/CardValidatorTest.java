package io.payrail.api.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.api.error.ApiException;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardValidatorTest {

  private static final YearMonth NOW = YearMonth.of(2026, 11);

  @ParameterizedTest
  @CsvSource({
    "4242424242424242,VISA,123",
    "4242 4242 4242 4242,VISA,123",
    "5555555555554444,MASTERCARD,123",
    "2223003122003222,MASTERCARD,123",
    "378282246310005,AMEX,1234",
    "6011111111111117,DISCOVER,123",
    "3566002020360505,JCB,123",
    "36227206271667,DINERS,123"
  })
  void validCards_areRecognised(String number, CardBrand brand, String cvc) {
    ValidCard card = CardValidator.validate(number, 12, 2030, cvc, NOW);

    assertThat(card.brand()).isEqualTo(brand);
    assertThat(card.number()).doesNotContain(" ");
    assertThat(card.last4()).isEqualTo(number.substring(number.length() - 4));
    assertThat(card.bin()).isEqualTo(card.number().substring(0, 6));
    assertThat(card.toString()).doesNotContain(card.number()).doesNotContain(cvc);
  }

  @ParameterizedTest
  @CsvSource({
    "4242424242424241,card.number,incorrect_number",
    "424242424242424,card.number,invalid_number",
    "1234567890123456,card.number,invalid_number",
    "4242x24242424242,card.number,invalid_number",
    "42,card.number,invalid_number",
    "42424242424242424242424,card.number,invalid_number"
  })
  void badNumbers_areRefusedNamingTheField_withoutEchoingTheNumber(
      String number, String param, String code) {
    assertThatThrownBy(() -> CardValidator.validate(number, 12, 2030, "123", NOW))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.status().value()).isEqualTo(400);
              assertThat(e.getMessage()).doesNotContain(number);
            });
  }

  @ParameterizedTest
  @CsvSource({
    "0,2030,123,card.exp_month,invalid_expiry_month",
    "13,2030,123,card.exp_month,invalid_expiry_month",
    "12,2025,123,card.exp_year,invalid_expiry_year",
    "12,2047,123,card.exp_year,invalid_expiry_year",
    "10,2026,123,card.exp_month,expired_card",
    "12,2030,12,card.cvc,invalid_cvc",
    "12,2030,12a,card.cvc,invalid_cvc",
    "12,2030,1234,card.cvc,invalid_cvc"
  })
  void badExpiryOrCvc_isRefusedNamingTheField(
      int month, int year, String cvc, String param, String code) {
    assertThatThrownBy(() -> CardValidator.validate("4242424242424242", month, year, cvc, NOW))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.param()).isEqualTo(param);
              assertThat(e.code()).isEqualTo(code);
            });
  }

  @Test
  void thisMonth_isStillValid_andMissingFieldsAreNamed() {
    assertThat(CardValidator.validate("4242424242424242", 11, 2026, "123", NOW).expiry())
        .isEqualTo(NOW);
    assertThatThrownBy(() -> CardValidator.validate(null, 12, 2030, "123", NOW))
        .hasFieldOrPropertyWithValue("param", "card.number");
    assertThatThrownBy(() -> CardValidator.validate("4242424242424242", null, 2030, "123", NOW))
        .hasFieldOrPropertyWithValue("param", "card.exp_month");
    assertThatThrownBy(() -> CardValidator.validate("4242424242424242", 12, null, "123", NOW))
        .hasFieldOrPropertyWithValue("param", "card.exp_year");
    assertThatThrownBy(() -> CardValidator.validate("378282246310005", 12, 2030, "123", NOW))
        .hasFieldOrPropertyWithValue("param", "card.cvc");
  }

  @Test
  void luhn_matchesKnownVectors() {
    assertThat(CardValidator.luhnValid("79927398713")).isTrue();
    assertThat(CardValidator.luhnValid("79927398710")).isFalse();
  }
}
