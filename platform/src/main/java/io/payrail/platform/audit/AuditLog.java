package io.payrail.platform.audit;

import io.payrail.workflows.common.CorrelationId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends to the audit log ({@code audit_log}, docs/audit.md): one record per administrative
 * action, written in the transaction of the action itself, so the action and its record commit
 * together or not at all.
 *
 * <pre>{@code
 * @Transactional
 * void revoke(String merchantId, String keyId) {
 *   ... the UPDATE ...
 *   audit.record("api_key.revoked", AuditTarget.of("api_key", keyId),
 *       AuditChanges.of(Map.of("revoked_at", null), Map.of("revoked_at", now)));
 * }
 * }</pre>
 *
 * <p>Who acted comes from the {@link AuditActorSource} (the api's caller), the request id from the
 * MDC's correlation id. Records form one chain: each holds the hash of the one before. Appends are
 * serialised by a transaction-scoped advisory lock, held until the action commits, so two
 * concurrent actions never both extend the same record and fork the chain. Administrative actions
 * are rare; waiting for that lock is the price of a chain with one order.
 */
public class AuditLog {

  /** The advisory lock that serialises appends: "audit" in ASCII, clear in pg_locks. */
  static final long CHAIN_LOCK = 0x6175646974L;

  private final JdbcClient jdbc;
  private final AuditActorSource actors;
  private final AuditActor system;
  private final Clock clock;

  public AuditLog(JdbcClient jdbc, AuditActorSource actors, String application, Clock clock) {
    this.jdbc = jdbc;
    this.actors = actors;
    this.system = AuditActor.system(application);
    this.clock = clock;
  }

  /**
   * Appends one record of {@code action} (a dotted name, {@code object.verb_in_past}: {@code
   * merchant.created}, {@code api_key.revoked}) done to {@code target} by the current actor.
   *
   * @throws IllegalStateException outside a transaction: a record must commit with its action
   */
  public AuditRecord record(String action, AuditTarget target, AuditChanges changes) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "audit records are written in the transaction of the action they record: "
              + action
              + " ran outside one");
    }
    AuditActor actor = actors.current().orElse(system);
    jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(CHAIN_LOCK).query().singleRow();
    Head head =
        jdbc.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .query((row, n) -> new Head(row.getLong(1), row.getString(2)))
            .optional()
            .orElse(new Head(0, AuditRecord.GENESIS));
    AuditRecord record =
        AuditRecord.next(
            head.seq() + 1,
            clock.instant(),
            actor,
            action,
            target,
            MDC.get(CorrelationId.MDC_KEY),
            changes.canonicalJson(),
            head.hash());
    jdbc.sql(
            """
            INSERT INTO audit_log (seq, occurred_at, actor_kind, actor_id, actor_credential_id,
                                   actor_name, actor_role, action, target_type, target_id,
                                   request_id, changes, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        .params(
            record.seq(),
            OffsetDateTime.ofInstant(record.occurredAt(), ZoneOffset.UTC),
            actor.kind(),
            actor.id(),
            actor.credentialId(),
            actor.name(),
            actor.role(),
            action,
            target.type(),
            target.id(),
            record.requestId(),
            record.changes(),
            record.prevHash(),
            record.hash())
        .update();
    return record;
  }

  private record Head(long seq, String hash) {}
}
