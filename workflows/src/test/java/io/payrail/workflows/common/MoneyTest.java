package io.payrail.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @ParameterizedTest
  @CsvSource({
    "1999,USD,2,19.99 USD",
    "1999,JPY,0,1999 JPY",
    "1999,BHD,3,1.999 BHD",
    "5,EUR,2,0.05 EUR"
  })
  void exponent_followsIso4217(long minor, String code, int exponent, String shown) {
    Money money = Money.of(minor, code);

    assertThat(money.exponent()).isEqualTo(exponent);
    assertThat(money).hasToString(shown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"usd", "US", "USDX", "ABC", "XAU", "XXX", "XTS", ""})
  void currency_refusesWhatIsNotAPaymentCurrency(String code) {
    assertThatThrownBy(() -> Money.of(100, code)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void amount_isBounded_andNeverNegative() {
    assertThatThrownBy(() -> Money.of(-1, "USD")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.of(Money.MAX_MINOR + 1, "USD"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Money.of(Money.MAX_MINOR, "USD").minor()).isEqualTo(99_999_999_999L);
  }

  @Test
  void arithmetic_staysInOneCurrency_andNeverGoesNegative() {
    Money ten = Money.of(1000, "USD");

    assertThat(ten.minus(Money.of(250, "USD"))).isEqualTo(Money.of(750, "USD"));
    assertThat(ten.plus(Money.of(1, "USD"))).isEqualTo(Money.of(1001, "USD"));
    assertThat(ten.minus(ten).minor()).isZero();
    assertThat(ten.isGreaterThan(Money.of(999, "USD"))).isTrue();
    assertThatThrownBy(() -> ten.minus(Money.of(1001, "USD")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ten.plus(Money.of(1, "EUR")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
