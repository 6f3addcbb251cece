package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.platform.vault.TestVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The vault against a real PostgreSQL holding Payrail's schema and a real OpenBao. */
class CardVaultIT {

  private static final String MERCHANT = "mer_0123456789abcdef";
  private static final String OTHER_MERCHANT = "mer_fedcba9876543210";
  private static final String NUMBER = "4000056655665556";
  private static final String CVC = "987";

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static CardVault vault;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
    DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    jdbc.sql("INSERT INTO merchants (id, name) VALUES (?, 'x'), (?, 'y')")
        .params(MERCHANT, OTHER_MERCHANT)
        .update();
    vault = new CardVault(jdbc, TestVault.application(TestVault.shared()));
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void tokenize_returnsTheCardAsItMayBeShown() {
    StoredCard card = vault.tokenize(MERCHANT, card(NUMBER, CVC));

    assertThat(card.token()).matches("card_[A-Za-z0-9]{24}");
    assertThat(card)
        .extracting(
            StoredCard::merchantId,
            StoredCard::brand,
            StoredCard::bin,
            StoredCard::last4,
            StoredCard::expMonth,
            StoredCard::expYear,
            StoredCard::holderName)
        .containsExactly(MERCHANT, "VISA", "400005", "5556", 12, 2030, "Ada Lovelace");
    assertThat(card.fingerprint()).hasSize(CardCrypto.FINGERPRINT_LENGTH);
  }

  @Test
  void tokenize_keepsTheNumberInNoColumn_butAsCiphertext() {
    String token = vault.tokenize(MERCHANT, card(NUMBER, CVC)).token();

    List<String> columns =
        jdbc.sql(
                """
                SELECT column_name FROM information_schema.columns
                WHERE table_name = 'cards' ORDER BY ordinal_position
                """)
            .query(String.class)
            .list();
    assertThat(columns).contains("token", "pan_ciphertext", "cvc_ciphertext", "fingerprint");
    for (String column : columns) {
      String text =
          jdbc.sql("SELECT " + column + "::text FROM cards WHERE token = ?")
              .param(token)
              .query(String.class)
              .single();
      assertThat(text).as(column).isNotNull().doesNotContain(NUMBER);
    }
    for (String ciphertext : List.of("pan_ciphertext", "cvc_ciphertext")) {
      assertThat(
              jdbc.sql("SELECT " + ciphertext + " FROM cards WHERE token = ?")
                  .param(token)
                  .query(String.class)
                  .single())
          .as(ciphertext)
          .startsWith("vault:v");
    }
  }

  @Test
  void tokenize_sameNumberTwice_givesTwoTokensWithOneFingerprint() {
    StoredCard first = vault.tokenize(MERCHANT, card(NUMBER, CVC));
    StoredCard second = vault.tokenize(MERCHANT, card(NUMBER, null));
    StoredCard other = vault.tokenize(MERCHANT, card("4242424242424242", CVC));

    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(other.fingerprint()).isNotEqualTo(first.fingerprint());
  }

  @Test
  void find_returnsTheMerchantsOwnCard() {
    StoredCard card = vault.tokenize(MERCHANT, card(NUMBER, CVC));

    assertThat(vault.find(MERCHANT, card.token())).contains(card);
  }

  @Test
  void find_anotherMerchantsToken_readsAsUnknown() {
    StoredCard card = vault.tokenize(MERCHANT, card(NUMBER, CVC));

    assertThat(vault.find(OTHER_MERCHANT, card.token())).isEmpty();
    assertThat(vault.find(MERCHANT, "card_000000000000000000000000")).isEmpty();
  }

  @Test
  void reveal_givesTheBankAdapterNumberExpiryAndCvc() {
    String token = vault.tokenize(MERCHANT, card(NUMBER, CVC)).token();

    assertThat(vault.reveal(token)).isEqualTo(new RevealedCard(NUMBER, 12, 2030, CVC));
  }

  @Test
  void reveal_cardTokenizedWithoutCvc_hasNone() {
    String token = vault.tokenize(MERCHANT, card(NUMBER, null)).token();

    assertThat(vault.reveal(token).cvc()).isNull();
  }

  @Test
  void reveal_unknownToken_isRefusedNamingIt() {
    assertThatThrownBy(() -> vault.reveal("card_000000000000000000000000"))
        .isInstanceOf(UnknownCardException.class)
        .hasMessageContaining("card_000000000000000000000000");
  }

  @Test
  void reveal_ciphertextCopiedFromAnotherCard_doesNotDecrypt() {
    String victim = vault.tokenize(MERCHANT, card(NUMBER, CVC)).token();
    String thief = vault.tokenize(OTHER_MERCHANT, card("4242424242424242", CVC)).token();

    jdbc.sql(
            """
            UPDATE cards SET pan_ciphertext = (SELECT pan_ciphertext FROM cards WHERE token = ?)
            WHERE token = ?
            """)
        .params(victim, thief)
        .update();

    assertThatThrownBy(() -> vault.reveal(thief))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(NUMBER);
  }

  @Test
  void purgeCvc_forgetsTheCvcOnly_andMayRunAgain() {
    String token = vault.tokenize(MERCHANT, card(NUMBER, CVC)).token();

    vault.purgeCvc(token);
    vault.purgeCvc(token);

    assertThat(vault.reveal(token)).isEqualTo(new RevealedCard(NUMBER, 12, 2030, null));
    assertThat(
            jdbc.sql("SELECT cvc_ciphertext IS NULL FROM cards WHERE token = ?")
                .param(token)
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  @Test
  void purgeCvc_unknownToken_isRefusedNamingIt() {
    assertThatThrownBy(() -> vault.purgeCvc("card_000000000000000000000000"))
        .isInstanceOf(UnknownCardException.class)
        .hasMessageContaining("card_000000000000000000000000");
  }

  private static CardToTokenize card(String number, String cvc) {
    return new CardToTokenize(number, "VISA", 12, 2030, cvc, "Ada Lovelace");
  }
}
