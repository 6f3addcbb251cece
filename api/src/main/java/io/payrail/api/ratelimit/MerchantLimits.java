package io.payrail.api.ratelimit;

import io.payrail.api.security.Caller;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The limit each caller is held to: the defaults of {@code payrail.rate-limits}, or for a merchant
 * the overrides an admin set (table {@code merchant_rate_limits}). An instance keeps a merchant's
 * overrides for {@code overrides-cache-ttl} so that the limiter costs no database query on most
 * requests; 0 reads them on every request.
 */
@Component
class MerchantLimits {

  private static final Logger log = LoggerFactory.getLogger(MerchantLimits.class);

  /** Past this many merchants in the cache it starts again empty, rather than grow unbounded. */
  private static final int MAX_CACHED_MERCHANTS = 10_000;

  private final JdbcClient jdbc;
  private final RateLimitProperties settings;
  private final AuditLog audit;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  MerchantLimits(JdbcClient jdbc, RateLimitProperties settings, AuditLog audit) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.audit = audit;
  }

  /** An override of a merchant class's default, with its version. */
  record Override(long capacity, Duration period, long version) {}

  private record Cached(Map<EndpointClass, Override> overrides, long loadedAt) {}

  /** The policy of this caller's bucket for this class of endpoint. */
  Policy policy(EndpointClass endpointClass, Caller caller) {
    RateLimitProperties.Limit limit = settings.limit(endpointClass);
    if (caller.kind() != Caller.Kind.MERCHANT) {
      return new Policy(limit, 0);
    }
    Override override = cachedOverrides(caller.id()).get(endpointClass);
    return override == null
        ? new Policy(limit, 0)
        : new Policy(
            limit.withCapacityAndPeriod(override.capacity(), override.period()),
            override.version());
  }

  boolean merchantExists(String merchantId) {
    return jdbc.sql("SELECT 1 FROM merchants WHERE id = ?")
        .param(merchantId)
        .query(Integer.class)
        .optional()
        .isPresent();
  }

  /** The merchant's overrides as stored now, read past the cache. */
  Map<EndpointClass, Override> overrides(String merchantId) {
    Map<EndpointClass, Override> overrides = new EnumMap<>(EndpointClass.class);
    jdbc.sql(
            """
            SELECT endpoint_class, capacity, period_seconds, version
            FROM merchant_rate_limits WHERE merchant_id = ?
            """)
        .param(merchantId)
        .query(
            (row, n) ->
                overrides.put(
                    EndpointClass.fromConfigName(row.getString(1)),
                    new Override(
                        row.getLong(2), Duration.ofSeconds(row.getLong(3)), row.getLong(4))))
        .list();
    return overrides;
  }

  /**
   * Sets the merchant's limit for each class given, each with a new version, and forgets this
   * instance's cached copy; empty when there is no such merchant. Audited ({@code
   * rate_limits.updated}) in the same transaction.
   */
  @Transactional
  Optional<Map<EndpointClass, Override>> set(
      String merchantId, Map<EndpointClass, RateLimitProperties.Limit> limits) {
    boolean exists =
        jdbc.sql("SELECT 1 FROM merchants WHERE id = ? FOR UPDATE")
            .param(merchantId)
            .query(Integer.class)
            .optional()
            .isPresent();
    if (!exists) {
      return Optional.empty();
    }
    Map<EndpointClass, Override> before = overrides(merchantId);
    limits.forEach(
        (endpointClass, limit) ->
            jdbc.sql(
                    """
                    INSERT INTO merchant_rate_limits
                        (merchant_id, endpoint_class, capacity, period_seconds)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT (merchant_id, endpoint_class) DO UPDATE
                    SET capacity = excluded.capacity,
                        period_seconds = excluded.period_seconds,
                        version = nextval('merchant_rate_limit_versions'),
                        updated_at = now()
                    """)
                .params(
                    merchantId,
                    endpointClass.configName(),
                    limit.capacity(),
                    limit.period().toSeconds())
                .update());
    cache.remove(merchantId);
    Map<EndpointClass, Override> after = overrides(merchantId);
    audit.record(
        "rate_limits.updated",
        AuditTarget.of("merchant", merchantId),
        AuditChanges.of(auditFields(before, limits.keySet()), auditFields(after, limits.keySet())));
    return Optional.of(after);
  }

  /** The classes changed, as the audit record shows them; a class without override is absent. */
  private static Map<String, Object> auditFields(
      Map<EndpointClass, Override> overrides, java.util.Set<EndpointClass> changed) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (EndpointClass endpointClass : changed) {
      Override override = overrides.get(endpointClass);
      if (override != null) {
        fields.put(
            endpointClass.jsonName(),
            Map.of(
                "capacity", override.capacity(),
                "period_seconds", override.period().toSeconds()));
      }
    }
    return fields;
  }

  private Map<EndpointClass, Override> cachedOverrides(String merchantId) {
    long now = System.nanoTime();
    Cached cached = cache.get(merchantId);
    if (cached != null && now - cached.loadedAt() < settings.overridesCacheTtl().toNanos()) {
      return cached.overrides();
    }
    try {
      Map<EndpointClass, Override> overrides = overrides(merchantId);
      if (cache.size() >= MAX_CACHED_MERCHANTS) {
        cache.clear();
      }
      cache.put(merchantId, new Cached(overrides, now));
      return overrides;
    } catch (DataAccessException e) {
      // The key was just authenticated against the same database, so this is a blip: keep the
      // last known overrides, or the defaults (version 0 never replaces a stored override).
      log.warn("rate-limit overrides of {} unreadable: {}", merchantId, e.getMessage());
      return cached == null ? Map.of() : cached.overrides();
    }
  }
}
