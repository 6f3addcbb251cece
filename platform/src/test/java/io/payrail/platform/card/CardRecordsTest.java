package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardRecordsTest {

  private static final String NUMBER = "4000056655665556";
  private static final String CVC = "987";

  @Test
  void cardToTokenize_toString_showsLastFourOnly() {
    CardToTokenize card = new CardToTokenize(NUMBER, "VISA", 12, 2030, CVC, "Ada Lovelace");

    assertThat(card.toString())
        .contains("5556")
        .doesNotContain(NUMBER)
        .doesNotContain(NUMBER.substring(0, 12))
        .doesNotContain(CVC);
  }

  @Test
  void cardToTokenize_splitsBinAndLastFour() {
    CardToTokenize card = new CardToTokenize(NUMBER, "VISA", 12, 2030, null, null);

    assertThat(card.bin()).isEqualTo("400005");
    assertThat(card.last4()).isEqualTo("5556");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"4000 0566 5566 5556", "4000-0566-5566-5556", "40000566556", ""})
  void cardToTokenize_withoutTwelveToNineteenDigits_isRefusedWithoutEchoingIt(String number) {
    assertThatThrownBy(() -> new CardToTokenize(number, "VISA", 12, 2030, CVC, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("number must be 12 to 19 digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12", "12345", "12a"})
  void cardToTokenize_withMalformedCvc_isRefusedWithoutEchoingIt(String cvc) {
    assertThatThrownBy(() -> new CardToTokenize(NUMBER, "VISA", 12, 2030, cvc, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cvc must be 3 or 4 digits");
  }

  @Test
  void revealedCard_toString_showsLastFourOnly() {
    RevealedCard card = new RevealedCard(NUMBER, 12, 2030, CVC);

    assertThat(card.toString())
        .contains("5556")
        .doesNotContain(NUMBER)
        .doesNotContain(NUMBER.substring(0, 12))
        .doesNotContain(CVC);
  }

  @Test
  void revealedCard_toString_tellsWhetherTheCvcIsGone() {
    assertThat(new RevealedCard(NUMBER, 12, 2030, null).toString()).contains("no cvc");
  }
}
