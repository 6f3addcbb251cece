package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.platform.card.KeyRotation.KeyState;
import io.payrail.platform.vault.TestVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.vault.core.VaultOperations;

/**
 * Rotation against a real OpenBao and PostgreSQL: after a rotation every stored card, webhook
 * secret and payout account still opens, the rewrap moves all of them to the newest key version,
 * and once the old versions are retired everything still opens while a ciphertext of an old version
 * does not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRotationIT {

  private static final String MERCHANT = "mer_0123456789abcdef";
  private static final String IBAN = "DE89370400440532013000";

  private static EmbeddedPostgres postgres;
  private static OpenBaoDevServer server;
  private static JdbcClient jdbc;
  private static CardVault vault;
  private static KeyRotation rotation;

  @BeforeAll
  static void start() throws IOException {
    server = TestVault.start();
    postgres = EmbeddedPostgres.start();
    DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    jdbc.sql("INSERT INTO merchants (id, name) VALUES (?, 'x')").param(MERCHANT).update();
    VaultOperations application = TestVault.application(server);
    vault = new CardVault(jdbc, application);
    rotation = new KeyRotation(jdbc, application);
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
    server.close();
  }

  @Test
  @Order(1)
  void rotate_rewrap_retire_everyCardAndSecretStillOpens_onTheNewestVersionOnly() {
    List<String> oldCards = tokenize(3, "4000056655665556");
    String endpoint = webhookEndpoint("whsec_before_rotation");
    long terms = settlementTerms(IBAN);
    String oldPan = panCiphertext(oldCards.getFirst());

    List<KeyState> rotated = rotation.rotate();

    assertThat(rotated)
        .allSatisfy(
            key -> {
              assertThat(key.latestVersion()).isEqualTo(2);
              assertThat(key.oldestVersionInUse()).isEqualTo(1);
            });
    List<String> newCards = tokenize(2, "4242424242424242");
    assertThat(panCiphertext(newCards.getFirst())).startsWith("vault:v2:");
    assertThat(oldPan).startsWith("vault:v1:");
    assertAllOpen(oldCards, newCards, endpoint, terms);

    int moved = rotation.rewrap();

    assertThat(moved).isEqualTo(oldCards.size() + 1 + 1);
    assertThat(jdbc.sql("SELECT DISTINCT key_version FROM cards").query(Integer.class).list())
        .containsExactly(2);
    assertThat(
            jdbc.sql("SELECT DISTINCT secret_key_version FROM webhook_endpoints")
                .query(Integer.class)
                .list())
        .containsExactly(2);
    assertThat(
            jdbc.sql("SELECT DISTINCT account_key_version FROM settlement_terms")
                .query(Integer.class)
                .list())
        .containsExactly(2);
    assertThat(rotation.rewrap()).as("a second rewrap finds nothing").isZero();
    assertAllOpen(oldCards, newCards, endpoint, terms);

    List<KeyState> retired = rotation.retireOldVersions();

    assertThat(retired).allSatisfy(key -> assertThat(key.minDecryptionVersion()).isEqualTo(2));
    assertAllOpen(oldCards, newCards, endpoint, terms);
    // The ciphertext as it was before the rewrap no longer opens: version 1 is retired.
    jdbc.sql("UPDATE cards SET pan_ciphertext = ? WHERE token = ?")
        .params(oldPan, oldCards.getFirst())
        .update();
    assertThatThrownBy(() -> vault.reveal(oldCards.getFirst()))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Runs after the full cycle above, whose keys it rotates again. */
  @Test
  @Order(2)
  void aPayoutAccountOnAnOlderVersion_holdsTheSecretsKeysRetirementBack() {
    long terms = settlementTerms("GB82WEST12345698765432");
    List<KeyState> rotated = rotation.rotate();
    int latest =
        rotated.stream()
            .filter(key -> key.key().equals(CardCrypto.SECRETS_KEY))
            .findFirst()
            .orElseThrow()
            .latestVersion();
    // No webhook secret is left: only the account, sealed before the rotation, uses the key.
    jdbc.sql("DELETE FROM webhook_endpoints").update();

    KeyState secrets =
        rotation.state().stream()
            .filter(key -> key.key().equals(CardCrypto.SECRETS_KEY))
            .findFirst()
            .orElseThrow();

    assertThat(secrets.oldestVersionInUse()).isEqualTo(latest - 1);
    assertThat(
            vault.unsealBankAccount(
                MERCHANT,
                jdbc.sql("SELECT account_ciphertext FROM settlement_terms WHERE id = ?")
                    .param(terms)
                    .query(String.class)
                    .single()))
        .isEqualTo("GB82WEST12345698765432");
  }

  private static void assertAllOpen(
      List<String> oldCards, List<String> newCards, String endpoint, long terms) {
    oldCards.forEach(
        token -> assertThat(vault.reveal(token).number()).isEqualTo("4000056655665556"));
    newCards.forEach(
        token -> assertThat(vault.reveal(token).number()).isEqualTo("4242424242424242"));
    oldCards.forEach(token -> assertThat(vault.reveal(token).cvc()).isEqualTo("123"));
    String sealed =
        jdbc.sql("SELECT secret_sealed FROM webhook_endpoints WHERE id = ?")
            .param(endpoint)
            .query(String.class)
            .single();
    assertThat(vault.unseal(endpoint, sealed)).isEqualTo("whsec_before_rotation");
    String account =
        jdbc.sql("SELECT account_ciphertext FROM settlement_terms WHERE id = ?")
            .param(terms)
            .query(String.class)
            .single();
    assertThat(vault.unsealBankAccount(MERCHANT, account)).isEqualTo(IBAN);
  }

  /** A SEPA terms version as the admin API stores it: the IBAN sealed, bound to the merchant. */
  private static long settlementTerms(String iban) {
    return jdbc.sql(
            """
            INSERT INTO settlement_terms (merchant_id, effective_from, settlement_currency,
                fee_basis_points, fee_fixed, refund_fee_policy, payout_delay_days, minimum_payout,
                reserve_basis_points, reserve_hold_days, payout_rail, account_holder, bic,
                account_ciphertext, account_last4, created_by)
            VALUES (?, current_date, 'EUR', 140, 25, 'none', 1, 0, 0, 0, 'sepa', 'x', 'DEUTDEFF',
                    ?, ?, 'test')
            RETURNING id
            """)
        .params(MERCHANT, vault.sealBankAccount(MERCHANT, iban), iban.substring(iban.length() - 4))
        .query(Long.class)
        .single();
  }

  private static List<String> tokenize(int count, String number) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tokens.add(
          vault
              .tokenize(MERCHANT, new CardToTokenize(number, "VISA", 12, 2030, "123", null))
              .token());
    }
    return tokens;
  }

  private static String webhookEndpoint(String secret) {
    String id = "we_" + "A".repeat(24);
    jdbc.sql(
            """
            INSERT INTO webhook_endpoints (id, merchant_id, url, enabled_events, secret_sealed)
            VALUES (?, ?, 'https://example.com/hook', ARRAY['payment.captured'], ?)
            """)
        .params(id, MERCHANT, vault.seal(id, secret))
        .update();
    return id;
  }

  private static String panCiphertext(String token) {
    return jdbc.sql("SELECT pan_ciphertext FROM cards WHERE token = ?")
        .param(token)
        .query(String.class)
        .single();
  }
}
