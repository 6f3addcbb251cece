package io.payrail.api.merchant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Merchants and their API keys (tables {@code merchants} and {@code api_keys}). */
@Repository
class MerchantRepository {

  private final JdbcClient jdbc;

  MerchantRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Creates a merchant with one test key; returns the merchant and the key, once, in clear. */
  @Transactional
  MerchantWithKey create(String name) {
    String merchantId = ApiKeys.newId("mer");
    Instant created =
        jdbc.sql("INSERT INTO merchants (id, name) VALUES (?, ?) RETURNING created_at")
            .params(merchantId, name)
            .query(OffsetDateTime.class)
            .single()
            .toInstant();
    String key = ApiKeys.newTestKey();
    String keyId = ApiKeys.newId("key");
    jdbc.sql(
            """
            INSERT INTO api_keys (id, merchant_id, mode, prefix, secret_hash)
            VALUES (?, ?, 'test', ?, ?)
            """)
        .params(keyId, merchantId, ApiKeys.visiblePrefix(key), ApiKeys.hash(key))
        .update();
    return new MerchantWithKey(
        new Merchant(merchantId, name, created), keyId, ApiKeys.visiblePrefix(key), key);
  }

  /** The merchant and key id an unrevoked key belongs to. */
  Optional<KeyOwner> findByKey(String key) {
    return jdbc.sql(
            """
            SELECT merchant_id, id FROM api_keys
            WHERE secret_hash = ? AND revoked_at IS NULL
            """)
        .param(ApiKeys.hash(key))
        .query((row, n) -> new KeyOwner(row.getString(1), row.getString(2)))
        .optional();
  }

  Optional<Merchant> findById(String merchantId) {
    return jdbc.sql("SELECT id, name, created_at FROM merchants WHERE id = ?")
        .param(merchantId)
        .query(
            (row, n) ->
                new Merchant(
                    row.getString(1),
                    row.getString(2),
                    row.getObject(3, OffsetDateTime.class).toInstant()))
        .optional();
  }

  record MerchantWithKey(Merchant merchant, String keyId, String keyPrefix, String secretKey) {}

  record KeyOwner(String merchantId, String keyId) {}
}
