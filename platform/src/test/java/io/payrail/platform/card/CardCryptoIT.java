package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.platform.card.CardCrypto.Field;
import io.payrail.platform.vault.TestVault;
import org.junit.jupiter.api.Test;

/** The vault's cryptography against a real OpenBao, with the application's policy. */
class CardCryptoIT {

  private static final String TOKEN = "card_AAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String OTHER_TOKEN = "card_BBBBBBBBBBBBBBBBBBBBBBBB";
  private static final String NUMBER = "4000056655665556";

  private final CardCrypto crypto = new CardCrypto(TestVault.application(TestVault.shared()));

  @Test
  void encrypt_thenDecrypt_givesBackTheNumberAndTheCvc() {
    String number = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);
    String cvc = crypto.encrypt("123", TOKEN, Field.CVC);

    assertThat(number).startsWith("vault:v").doesNotContain(NUMBER);
    assertThat(crypto.decrypt(number, TOKEN, Field.NUMBER)).isEqualTo(NUMBER);
    assertThat(crypto.decrypt(cvc, TOKEN, Field.CVC)).isEqualTo("123");
  }

  @Test
  void encrypt_sameNumberTwice_givesDifferentCiphertexts() {
    assertThat(crypto.encrypt(NUMBER, TOKEN, Field.NUMBER))
        .isNotEqualTo(crypto.encrypt(NUMBER, TOKEN, Field.NUMBER));
  }

  @Test
  void decrypt_ciphertextOfAnotherToken_isRefusedWithoutShowingTheNumber() {
    String number = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThatThrownBy(() -> crypto.decrypt(number, OTHER_TOKEN, Field.NUMBER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(OTHER_TOKEN)
        .hasMessageNotContaining(NUMBER)
        .hasMessageNotContaining(number);
  }

  @Test
  void decrypt_numberCiphertextAsCvc_isRefused() {
    String number = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThatThrownBy(() -> crypto.decrypt(number, TOKEN, Field.CVC))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void decrypt_webhookSecretKeyCannotOpenCardData() {
    String number = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThatThrownBy(() -> crypto.decrypt(number, TOKEN, Field.SECRET))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyVersion_isReadFromTheCiphertext() {
    assertThat(CardCrypto.keyVersion("vault:v12:abc")).isEqualTo(12);
    assertThatThrownBy(() -> CardCrypto.keyVersion("AAECAw=="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fingerprint_isStableForOneNumber_andDiffersForAnother() {
    assertThat(crypto.fingerprint(NUMBER))
        .isEqualTo(new CardCrypto(TestVault.application(TestVault.shared())).fingerprint(NUMBER))
        .isNotEqualTo(crypto.fingerprint("4242424242424242"));
  }

  @Test
  void fingerprint_underAnotherVaultsKey_differs() {
    try (var other = TestVault.start()) {
      assertThat(new CardCrypto(TestVault.application(other)).fingerprint(NUMBER))
          .isNotEqualTo(crypto.fingerprint(NUMBER));
    }
  }

  @Test
  void fingerprint_is22Base64UrlCharacters() {
    assertThat(crypto.fingerprint(NUMBER)).matches("[A-Za-z0-9_-]{22}");
  }
}
