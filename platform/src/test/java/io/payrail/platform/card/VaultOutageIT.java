package io.payrail.platform.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.platform.vault.TestVault;
import io.payrail.platform.vault.VaultUnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Vault frozen (SIGSTOP: connections accepted, never answered): tokenizing and revealing fail with
 * {@link VaultUnavailableException} within the read timeout, store nothing, and work again once
 * Vault is back. No plaintext anywhere meanwhile.
 */
class VaultOutageIT {

  private static final String MERCHANT = "mer_0123456789abcdef";
  private static final String NUMBER = "4000056655665556";

  private static EmbeddedPostgres postgres;
  private static OpenBaoDevServer server;
  private static JdbcClient jdbc;
  private static CardVault vault;

  @BeforeAll
  static void start() throws IOException {
    server = TestVault.start();
    postgres = EmbeddedPostgres.start();
    DataSource dataSource = postgres.getPostgresDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    jdbc.sql("INSERT INTO merchants (id, name) VALUES (?, 'x')").param(MERCHANT).update();
    vault = new CardVault(jdbc, TestVault.application(server));
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
    server.close();
  }

  @Test
  void vaultFrozen_tokenizeAndRevealAreUnavailable_thenWorkAgain() {
    String stored = vault.tokenize(MERCHANT, card()).token();
    int cardsBefore = cards();

    server.pause();
    try {
      assertThatThrownBy(() -> vault.tokenize(MERCHANT, card()))
          .isInstanceOf(VaultUnavailableException.class)
          .hasMessageNotContaining(NUMBER);
      assertThatThrownBy(() -> vault.reveal(stored)).isInstanceOf(VaultUnavailableException.class);
      assertThat(cards()).isEqualTo(cardsBefore);
    } finally {
      server.resume();
    }

    assertThat(vault.reveal(stored).number()).isEqualTo(NUMBER);
    assertThat(vault.reveal(vault.tokenize(MERCHANT, card()).token()).number()).isEqualTo(NUMBER);
  }

  private static int cards() {
    return jdbc.sql("SELECT count(*) FROM cards").query(Integer.class).single();
  }

  private static CardToTokenize card() {
    return new CardToTokenize(NUMBER, "VISA", 12, 2030, "123", null);
  }
}
