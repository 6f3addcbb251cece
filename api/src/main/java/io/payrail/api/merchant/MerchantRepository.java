package io.payrail.api.merchant;

import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Merchants and their API keys (tables {@code merchants} and {@code api_keys}). Every change is an
 * administrative action: each appends its audit record in its own transaction.
 */
@Repository
class MerchantRepository {

  private final JdbcClient jdbc;
  private final AuditLog audit;

  MerchantRepository(JdbcClient jdbc, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  /** Creates a merchant with one test key; returns the merchant and the key, once, in clear. */
  @Transactional
  MerchantWithKey create(String name, String email) {
    String merchantId = ApiKeys.newId("mer");
    Instant created =
        jdbc.sql("INSERT INTO merchants (id, name, email) VALUES (?, ?, ?) RETURNING created_at")
            .params(merchantId, name, email)
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
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("name", name);
    after.put("email", email);
    after.put("api_key_id", keyId);
    after.put("api_key_prefix", ApiKeys.visiblePrefix(key));
    audit.record(
        "merchant.created", AuditTarget.of("merchant", merchantId), AuditChanges.created(after));
    return new MerchantWithKey(
        new Merchant(merchantId, name, email, false, false, created),
        keyId,
        ApiKeys.visiblePrefix(key),
        key);
  }

  /** A new test key for an existing merchant; the secret is in the result only. */
  @Transactional
  Optional<NewKey> createKey(String merchantId) {
    if (findById(merchantId).isEmpty()) {
      return Optional.empty();
    }
    String key = ApiKeys.newTestKey();
    String keyId = ApiKeys.newId("key");
    Instant created =
        jdbc.sql(
                """
                INSERT INTO api_keys (id, merchant_id, mode, prefix, secret_hash)
                VALUES (?, ?, 'test', ?, ?) RETURNING created_at
                """)
            .params(keyId, merchantId, ApiKeys.visiblePrefix(key), ApiKeys.hash(key))
            .query(OffsetDateTime.class)
            .single()
            .toInstant();
    audit.record(
        "api_key.created",
        AuditTarget.of("api_key", keyId),
        AuditChanges.created(
            Map.of(
                "merchant_id", merchantId, "prefix", ApiKeys.visiblePrefix(key), "mode", "test")));
    return Optional.of(
        new NewKey(new KeyInfo(keyId, ApiKeys.visiblePrefix(key), created, null), key));
  }

  List<KeyInfo> keys(String merchantId) {
    return jdbc.sql(
            """
            SELECT id, prefix, created_at, revoked_at FROM api_keys
            WHERE merchant_id = ? ORDER BY created_at, id
            """)
        .param(merchantId)
        .query(MerchantRepository::keyInfo)
        .list();
  }

  /**
   * Revokes a key at once; revoking a revoked key keeps its first revocation time and, since
   * nothing changes, appends no audit record.
   */
  @Transactional
  Optional<KeyInfo> revoke(String merchantId, String keyId) {
    Optional<KeyInfo> before =
        jdbc.sql(
                """
                SELECT id, prefix, created_at, revoked_at FROM api_keys
                WHERE merchant_id = ? AND id = ? FOR UPDATE
                """)
            .params(merchantId, keyId)
            .query(MerchantRepository::keyInfo)
            .optional();
    if (before.isEmpty()) {
      return Optional.empty();
    }
    if (before.get().revoked() != null) {
      return before;
    }
    KeyInfo after =
        jdbc.sql(
                """
                UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                WHERE merchant_id = ? AND id = ?
                RETURNING id, prefix, created_at, revoked_at
                """)
            .params(merchantId, keyId)
            .query(MerchantRepository::keyInfo)
            .single();
    audit.record(
        "api_key.revoked",
        AuditTarget.of("api_key", keyId),
        AuditChanges.of(revokedField(merchantId, before.get()), revokedField(merchantId, after)));
    return Optional.of(after);
  }

  private static Map<String, Object> revokedField(String merchantId, KeyInfo key) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("merchant_id", merchantId);
    fields.put("revoked", key.revoked() == null ? null : key.revoked().getEpochSecond());
    return fields;
  }

  private static KeyInfo keyInfo(java.sql.ResultSet row, int n) throws java.sql.SQLException {
    OffsetDateTime revoked = row.getObject(4, OffsetDateTime.class);
    return new KeyInfo(
        row.getString(1),
        row.getString(2),
        row.getObject(3, OffsetDateTime.class).toInstant(),
        revoked == null ? null : revoked.toInstant());
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
    return jdbc.sql(
            """
            SELECT id, name, email, receipts_payments, receipts_refunds, created_at
            FROM merchants WHERE id = ?
            """)
        .param(merchantId)
        .query(
            (row, n) ->
                new Merchant(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getBoolean(4),
                    row.getBoolean(5),
                    row.getObject(6, OffsetDateTime.class).toInstant()))
        .optional();
  }

  /**
   * Changes what is given and keeps the rest: a null argument leaves its column alone, an empty
   * email removes it. The audit record holds the settings that changed, before and after.
   */
  @Transactional
  Optional<Merchant> update(
      String merchantId, String email, Boolean receiptsPayments, Boolean receiptsRefunds) {
    // Locked first, so "before" is what this update changes, not what a concurrent one left.
    if (jdbc.sql("SELECT id FROM merchants WHERE id = ? FOR UPDATE")
        .param(merchantId)
        .query(String.class)
        .optional()
        .isEmpty()) {
      return Optional.empty();
    }
    Merchant before = findById(merchantId).orElseThrow();
    jdbc.sql(
            """
            UPDATE merchants
            SET email = CASE WHEN ?::text IS NULL THEN email ELSE nullif(?::text, '') END,
                receipts_payments = coalesce(?::boolean, receipts_payments),
                receipts_refunds = coalesce(?::boolean, receipts_refunds)
            WHERE id = ?
            """)
        .params(email, email, receiptsPayments, receiptsRefunds, merchantId)
        .update();
    Optional<Merchant> after = findById(merchantId);
    Map<String, Object> was = settings(before);
    Map<String, Object> is = settings(after.orElseThrow());
    Map<String, Object> changedFrom = new LinkedHashMap<>();
    Map<String, Object> changedTo = new LinkedHashMap<>();
    was.forEach(
        (field, value) -> {
          if (!java.util.Objects.equals(value, is.get(field))) {
            changedFrom.put(field, value);
            changedTo.put(field, is.get(field));
          }
        });
    audit.record(
        "merchant.settings_changed",
        AuditTarget.of("merchant", merchantId),
        AuditChanges.of(changedFrom, changedTo));
    return after;
  }

  private static Map<String, Object> settings(Merchant merchant) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("email", merchant.email());
    settings.put("receipts_payments", merchant.receiptsPayments());
    settings.put("receipts_refunds", merchant.receiptsRefunds());
    return settings;
  }

  record MerchantWithKey(Merchant merchant, String keyId, String keyPrefix, String secretKey) {}

  record KeyOwner(String merchantId, String keyId) {}

  record KeyInfo(String id, String prefix, Instant created, Instant revoked) {}

  record NewKey(KeyInfo key, String secret) {}
}
