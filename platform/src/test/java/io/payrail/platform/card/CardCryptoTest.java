package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.platform.card.CardCrypto.Field;
import org.junit.jupiter.api.Test;

class CardCryptoTest {

  private static final String TOKEN = "card_AAAAAAAAAAAAAAAAAAAAAAAA";
  private static final String OTHER_TOKEN = "card_BBBBBBBBBBBBBBBBBBBBBBBB";
  private static final String NUMBER = "4000056655665556";

  private final String keyset = CardVault.newKeyset();
  private final String fingerprintKey = CardVault.newFingerprintKey();
  private final CardCrypto crypto = new CardCrypto(keyset, fingerprintKey);

  @Test
  void encrypt_thenDecrypt_givesBackTheNumberAndTheCvc() {
    byte[] number = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);
    byte[] cvc = crypto.encrypt("123", TOKEN, Field.CVC);

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
    byte[] ciphertext = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThatThrownBy(() -> crypto.decrypt(ciphertext, OTHER_TOKEN, Field.NUMBER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(OTHER_TOKEN)
        .hasMessageNotContaining(NUMBER);
  }

  @Test
  void decrypt_numberCiphertextAsCvc_isRefused() {
    byte[] ciphertext = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThatThrownBy(() -> crypto.decrypt(ciphertext, TOKEN, Field.CVC))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void decrypt_withAnotherKeyset_isRefused() {
    byte[] ciphertext = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);
    CardCrypto stranger = new CardCrypto(CardVault.newKeyset(), fingerprintKey);

    assertThatThrownBy(() -> stranger.decrypt(ciphertext, TOKEN, Field.NUMBER))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rotation_newPrimaryKeyEncrypts_andOldCiphertextsStillDecrypt() throws Exception {
    byte[] before = crypto.encrypt(NUMBER, TOKEN, Field.NUMBER);
    CardCrypto rotated = new CardCrypto(TestKeysets.rotated(keyset), fingerprintKey);

    byte[] after = rotated.encrypt(NUMBER, TOKEN, Field.NUMBER);

    assertThat(rotated.decrypt(before, TOKEN, Field.NUMBER)).isEqualTo(NUMBER);
    assertThat(rotated.decrypt(after, TOKEN, Field.NUMBER)).isEqualTo(NUMBER);
    assertThatThrownBy(() -> crypto.decrypt(after, TOKEN, Field.NUMBER))
        .as("the new key, which the old keyset lacks, made it")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fingerprint_isStableForOneNumber_andDiffersForAnother() {
    String fingerprint = crypto.fingerprint(NUMBER);

    assertThat(crypto.fingerprint(NUMBER)).isEqualTo(fingerprint);
    assertThat(new CardCrypto(CardVault.newKeyset(), fingerprintKey).fingerprint(NUMBER))
        .as("the fingerprint depends on the fingerprint key only, not on the keyset")
        .isEqualTo(fingerprint);
    assertThat(crypto.fingerprint("4000056655665564")).isNotEqualTo(fingerprint);
  }

  @Test
  void fingerprint_underAnotherFingerprintKey_differs() {
    CardCrypto other = new CardCrypto(keyset, CardVault.newFingerprintKey());

    assertThat(other.fingerprint(NUMBER)).isNotEqualTo(crypto.fingerprint(NUMBER));
  }

  @Test
  void fingerprint_is22Base64UrlCharacters() {
    assertThat(crypto.fingerprint(NUMBER)).matches("[A-Za-z0-9_-]{22}");
  }
}
