package io.payrail.platform.card;

import io.payrail.platform.card.CardCrypto.Field;
import io.payrail.platform.vault.VaultCalls;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.VaultTransitKey;
import org.springframework.vault.support.VaultTransitKeyConfiguration;

/**
 * Rotation of the transit keys that seal card data, webhook secrets and merchants' payout accounts
 * (settlement terms), in three steps an admin takes in order:
 *
 * <ol>
 *   <li>{@link #rotate}: Vault adds a key version and encrypts with it from now on; every stored
 *       ciphertext still decrypts, since it names its own version.
 *   <li>{@link #rewrap}: every ciphertext on an older version is re-encrypted with the newest one,
 *       inside Vault ({@code transit/rewrap}: the plaintext never reaches Payrail). Safe to run
 *       again, and while payments are made.
 *   <li>{@link #retireOldVersions}: raises each key's minimum decryption version to the oldest
 *       version a stored row still uses (after a full rewrap, the newest), so a leaked old version
 *       decrypts nothing any more.
 * </ol>
 *
 * <pre>{@code
 * List<KeyState> before = rotation.rotate();
 * int moved = rotation.rewrap();
 * List<KeyState> after = rotation.retireOldVersions();
 * }</pre>
 */
public class KeyRotation {

  /** Rows re-encrypted per query: bounds memory and each transaction, not the total. */
  static final int BATCH = 200;

  private static final List<String> KEYS = List.of(CardCrypto.CARD_KEY, CardCrypto.SECRETS_KEY);

  private final JdbcClient jdbc;
  private final VaultTransitOperations transit;
  private final CardCrypto crypto;

  public KeyRotation(JdbcClient jdbc, VaultOperations vault) {
    this.jdbc = jdbc;
    this.transit = vault.opsForTransit();
    this.crypto = new CardCrypto(vault);
  }

  /**
   * A transit key's versions, and the oldest version a stored row still uses.
   *
   * @param oldestVersionInUse null when no stored row uses the key
   */
  public record KeyState(
      String key, int latestVersion, int minDecryptionVersion, Integer oldestVersionInUse) {}

  /** Each key's state, as Vault and the database see it. */
  public List<KeyState> state() {
    List<KeyState> states = new ArrayList<>();
    for (String key : KEYS) {
      VaultTransitKey vaultKey = VaultCalls.call("read key " + key, () -> transit.getKey(key));
      states.add(
          new KeyState(
              key,
              vaultKey.getLatestVersion(),
              vaultKey.getMinDecryptionVersion(),
              oldestVersionInUse(key)));
    }
    return states;
  }

  /** Adds a version to each key; new ciphertexts use it. Returns the keys' states after. */
  public List<KeyState> rotate() {
    for (String key : KEYS) {
      VaultCalls.call(
          "rotate key " + key,
          () -> {
            transit.rotate(key);
            return null;
          });
    }
    return state();
  }

  /**
   * Moves every ciphertext on an older key version to the newest one.
   *
   * @return how many rows (cards, webhook endpoints and settlement terms) were re-encrypted
   */
  public int rewrap() {
    int secretsVersion = latestVersion(CardCrypto.SECRETS_KEY);
    return rewrapCards(latestVersion(CardCrypto.CARD_KEY))
        + rewrapWebhookSecrets(secretsVersion)
        + rewrapBankAccounts(secretsVersion);
  }

  /**
   * Raises each key's minimum decryption version to the oldest version still stored (never lowers
   * it). Returns the keys' states after.
   */
  public List<KeyState> retireOldVersions() {
    for (KeyState state : state()) {
      int oldestNeeded =
          state.oldestVersionInUse() == null ? state.latestVersion() : state.oldestVersionInUse();
      if (oldestNeeded > state.minDecryptionVersion()) {
        VaultCalls.call(
            "configure key " + state.key(),
            () -> {
              transit.configureKey(
                  state.key(),
                  VaultTransitKeyConfiguration.builder()
                      .minDecryptionVersion(oldestNeeded)
                      .build());
              return null;
            });
      }
    }
    return state();
  }

  private int latestVersion(String key) {
    return VaultCalls.call("read key " + key, () -> transit.getKey(key)).getLatestVersion();
  }

  private Integer oldestVersionInUse(String key) {
    // The secrets key seals webhook secrets and payout accounts: the oldest of either counts.
    String sql =
        CardCrypto.CARD_KEY.equals(key)
            ? "SELECT min(key_version) FROM cards"
            : """
              SELECT min(version) FROM (
                  SELECT min(secret_key_version) AS version FROM webhook_endpoints
                  UNION ALL
                  SELECT min(account_key_version) FROM settlement_terms) AS versions
              """;
    return jdbc.sql(sql).query(Integer.class).optional().orElse(null);
  }

  private int rewrapCards(int latest) {
    int moved = 0;
    String after = "";
    while (true) {
      List<SealedCard> batch =
          jdbc.sql(
                  """
                  SELECT token, pan_ciphertext, cvc_ciphertext FROM cards
                  WHERE key_version < ? AND token > ? ORDER BY token LIMIT ?
                  """)
              .params(latest, after, BATCH)
              .query(SealedCard.class)
              .list();
      for (SealedCard card : batch) {
        String cvc =
            card.cvcCiphertext() == null
                ? null
                : crypto.rewrap(card.cvcCiphertext(), card.token(), Field.CVC);
        // Compare-and-set: a CVC purged meanwhile stays purged.
        moved +=
            jdbc.sql(
                    """
                    UPDATE cards SET pan_ciphertext = ?,
                        cvc_ciphertext = CASE WHEN cvc_ciphertext = ? THEN ? ELSE cvc_ciphertext END
                    WHERE token = ? AND pan_ciphertext = ?
                    """)
                .params(
                    crypto.rewrap(card.panCiphertext(), card.token(), Field.NUMBER),
                    card.cvcCiphertext(),
                    cvc,
                    card.token(),
                    card.panCiphertext())
                .update();
      }
      if (batch.size() < BATCH) {
        return moved;
      }
      after = batch.getLast().token();
    }
  }

  private int rewrapWebhookSecrets(int latest) {
    int moved = 0;
    String after = "";
    while (true) {
      List<SealedSecret> batch =
          jdbc.sql(
                  """
                  SELECT id, secret_sealed, previous_secret_sealed FROM webhook_endpoints
                  WHERE secret_key_version < ? AND id > ? ORDER BY id LIMIT ?
                  """)
              .params(latest, after, BATCH)
              .query(SealedSecret.class)
              .list();
      for (SealedSecret endpoint : batch) {
        String previous =
            endpoint.previousSecretSealed() == null
                ? null
                : crypto.rewrap(endpoint.previousSecretSealed(), endpoint.id(), Field.SECRET);
        // Compare-and-set: a secret rolled meanwhile is already on the newest version.
        moved +=
            jdbc.sql(
                    """
                    UPDATE webhook_endpoints SET secret_sealed = ?,
                        previous_secret_sealed = CASE WHEN previous_secret_sealed = ? THEN ?
                                                      ELSE previous_secret_sealed END
                    WHERE id = ? AND secret_sealed = ?
                    """)
                .params(
                    crypto.rewrap(endpoint.secretSealed(), endpoint.id(), Field.SECRET),
                    endpoint.previousSecretSealed(),
                    previous,
                    endpoint.id(),
                    endpoint.secretSealed())
                .update();
      }
      if (batch.size() < BATCH) {
        return moved;
      }
      after = batch.getLast().id();
    }
  }

  /**
   * Settlement terms' payout accounts (sealed bound to their merchant, {@link
   * CardVault#sealBankAccount}). Terms versions are never edited otherwise, so the compare-and-set
   * only guards against two rewraps running at once.
   */
  private int rewrapBankAccounts(int latest) {
    int moved = 0;
    long after = 0;
    while (true) {
      List<SealedAccount> batch =
          jdbc.sql(
                  """
                  SELECT id, merchant_id, account_ciphertext FROM settlement_terms
                  WHERE account_key_version < ? AND id > ? ORDER BY id LIMIT ?
                  """)
              .params(latest, after, BATCH)
              .query(SealedAccount.class)
              .list();
      for (SealedAccount terms : batch) {
        moved +=
            jdbc.sql(
                    """
                    UPDATE settlement_terms SET account_ciphertext = ?
                    WHERE id = ? AND account_ciphertext = ?
                    """)
                .params(
                    crypto.rewrap(
                        terms.accountCiphertext(), terms.merchantId(), Field.BANK_ACCOUNT),
                    terms.id(),
                    terms.accountCiphertext())
                .update();
      }
      if (batch.size() < BATCH) {
        return moved;
      }
      after = batch.getLast().id();
    }
  }

  private record SealedAccount(long id, String merchantId, String accountCiphertext) {}

  private record SealedCard(String token, String panCiphertext, String cvcCiphertext) {}

  private record SealedSecret(String id, String secretSealed, String previousSecretSealed) {}
}
