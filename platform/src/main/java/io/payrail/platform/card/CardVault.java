package io.payrail.platform.card;

import io.payrail.platform.card.CardCrypto.Field;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.vault.core.VaultOperations;

/**
 * The card vault: turns a card number into a token ({@code card_} and 24 base-62 characters) that
 * stands for it everywhere else. Only the bank adapter sees the number again, through {@link
 * #reveal}. The number and the CVC are kept as Vault transit ciphertext bound to the token; the CVC
 * is purged once the authorization has used it ({@link #purgeCvc}), as PCI DSS requires.
 *
 * <pre>{@code
 * StoredCard card = vault.tokenize("mer_0123456789abcdef", new CardToTokenize(
 *     "4242424242424242", "VISA", 12, 2030, "123", "Ada Lovelace"));
 * RevealedCard forTheBank = vault.reveal(card.token());
 * vault.purgeCvc(card.token());
 * }</pre>
 *
 * <p>Keys rotate in Vault ({@link KeyRotation}): new cards are encrypted with the newest key
 * version, while every ciphertext names the version that made it, so cards stored under older
 * versions still decrypt until the rewrap job has moved them. The fingerprint key cannot rotate
 * that way: a new one changes every fingerprint.
 *
 * <p>Every method that encrypts or decrypts calls Vault, and throws {@link
 * io.payrail.platform.vault.VaultUnavailableException} when Vault does not answer: there is no
 * plaintext fallback.
 */
public class CardVault {

  static final String TOKEN_PREFIX = "card_";
  static final int TOKEN_LENGTH = 24;

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final JdbcClient jdbc;
  private final CardCrypto crypto;
  private final SecureRandom random = new SecureRandom();

  public CardVault(JdbcClient jdbc, VaultOperations vault) {
    this(jdbc, new CardCrypto(vault));
  }

  CardVault(JdbcClient jdbc, CardCrypto crypto) {
    this.jdbc = jdbc;
    this.crypto = crypto;
  }

  /** Stores the card for the merchant under a new token. */
  public StoredCard tokenize(String merchantId, CardToTokenize card) {
    String token = newToken();
    StoredCard stored =
        new StoredCard(
            token,
            merchantId,
            card.brand(),
            card.bin(),
            card.last4(),
            card.expMonth(),
            card.expYear(),
            card.holderName(),
            crypto.fingerprint(card.number()));
    String cvcCiphertext = card.cvc() == null ? null : crypto.encrypt(card.cvc(), token, Field.CVC);
    jdbc.sql(
            """
            INSERT INTO cards (token, merchant_id, brand, bin, last4, exp_month, exp_year,
                               holder_name, fingerprint, pan_ciphertext, cvc_ciphertext)
            VALUES (:token, :merchantId, :brand, :bin, :last4, :expMonth, :expYear,
                    :holderName, :fingerprint, :panCiphertext, :cvcCiphertext)
            """)
        .param("token", token)
        .param("merchantId", merchantId)
        .param("brand", stored.brand())
        .param("bin", stored.bin())
        .param("last4", stored.last4())
        .param("expMonth", stored.expMonth())
        .param("expYear", stored.expYear())
        .param("holderName", stored.holderName(), Types.VARCHAR)
        .param("fingerprint", stored.fingerprint())
        .param("panCiphertext", crypto.encrypt(card.number(), token, Field.NUMBER))
        .param("cvcCiphertext", cvcCiphertext, Types.VARCHAR)
        .update();
    return stored;
  }

  /**
   * Seals a secret Payrail must read back later (a webhook signing secret) with the vault's key,
   * bound to {@code ownerId} (the endpoint), so a sealed secret cannot be moved to another owner.
   */
  public String seal(String ownerId, String secret) {
    return crypto.encrypt(secret, ownerId, CardCrypto.Field.SECRET);
  }

  /** Opens what {@link #seal} sealed for {@code ownerId}. */
  public String unseal(String ownerId, String sealed) {
    return crypto.decrypt(sealed, ownerId, CardCrypto.Field.SECRET);
  }

  /**
   * Seals a merchant's bank account number (an ACH account number or an IBAN) for its settlement
   * terms, bound to the merchant: it decrypts only as that merchant's account.
   */
  public String sealBankAccount(String merchantId, String accountNumber) {
    return crypto.encrypt(accountNumber, merchantId, CardCrypto.Field.BANK_ACCOUNT);
  }

  /** Opens what {@link #sealBankAccount} sealed for {@code merchantId}. */
  public String unsealBankAccount(String merchantId, String sealed) {
    return crypto.decrypt(sealed, merchantId, CardCrypto.Field.BANK_ACCOUNT);
  }

  /**
   * The keyed fingerprint of a card number, as {@link StoredCard#fingerprint()} holds it: for
   * comparing requests that carry a number without keeping the number (or a plain hash of it, which
   * the few unknown middle digits make easy to reverse).
   */
  public String fingerprint(String number) {
    return crypto.fingerprint(number);
  }

  /** The merchant's card; another merchant's token reads exactly as an unknown one. */
  public Optional<StoredCard> find(String merchantId, String token) {
    return jdbc.sql(
            """
            SELECT token, merchant_id, brand, bin, last4, exp_month, exp_year, holder_name,
                   fingerprint
            FROM cards WHERE merchant_id = ? AND token = ?
            """)
        .params(merchantId, token)
        .query(CardVault::storedCard)
        .optional();
  }

  /**
   * The card's number and expiry, and its CVC until {@link #purgeCvc}, for the bank adapter only.
   * Not scoped to a merchant: the caller took the token from a payment it already holds.
   *
   * @throws UnknownCardException when no card has this token
   */
  public RevealedCard reveal(String token) {
    return jdbc.sql(
            "SELECT pan_ciphertext, cvc_ciphertext, exp_month, exp_year FROM cards WHERE token = ?")
        .param(token)
        .query((row, rowNumber) -> revealedCard(token, row))
        .optional()
        .orElseThrow(() -> new UnknownCardException(token));
  }

  /**
   * Forgets the card's CVC, once the authorization has used it. Idempotent: purging again changes
   * nothing.
   *
   * @throws UnknownCardException when no card has this token
   */
  public void purgeCvc(String token) {
    int cards =
        jdbc.sql("UPDATE cards SET cvc_ciphertext = NULL WHERE token = ?").param(token).update();
    if (cards == 0) {
      throw new UnknownCardException(token);
    }
  }

  String newToken() {
    StringBuilder token = new StringBuilder(TOKEN_PREFIX);
    for (int i = 0; i < TOKEN_LENGTH; i++) {
      token.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return token.toString();
  }

  private RevealedCard revealedCard(String token, ResultSet row) throws SQLException {
    String cvcCiphertext = row.getString("cvc_ciphertext");
    return new RevealedCard(
        crypto.decrypt(row.getString("pan_ciphertext"), token, Field.NUMBER),
        row.getInt("exp_month"),
        row.getInt("exp_year"),
        cvcCiphertext == null ? null : crypto.decrypt(cvcCiphertext, token, Field.CVC));
  }

  private static StoredCard storedCard(ResultSet row, int rowNumber) throws SQLException {
    return new StoredCard(
        row.getString("token"),
        row.getString("merchant_id"),
        row.getString("brand"),
        row.getString("bin"),
        row.getString("last4"),
        row.getInt("exp_month"),
        row.getInt("exp_year"),
        row.getString("holder_name"),
        row.getString("fingerprint"));
  }
}
