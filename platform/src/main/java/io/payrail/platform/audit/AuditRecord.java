package io.payrail.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code audit_log}, and the hash that chains it to the row before.
 *
 * <p>The hash is the lower-case hex SHA-256 of the UTF-8 bytes of {@link #canonicalEncoding}: the
 * record's fields, the previous record's hash among them, as one {@link CanonicalJson} object:
 *
 * <pre>{@code
 * {"action":"merchant.created","actor":{"credential_id":"bootstrap","id":"bootstrap",
 *  "kind":"bootstrap","name":"bootstrap","role":"admin"},"changes":{"after":{...},"before":{}},
 *  "occurred_at":"2026-11-24T20:50:51.123456Z","prev_hash":"00...00","request_id":"req_...",
 *  "seq":1,"target":{"id":"mer_...","type":"merchant"}}
 * }</pre>
 *
 * (one line, no spaces). {@code changes} is embedded exactly as stored; the time has six fraction
 * digits, PostgreSQL's precision, so what is read back hashes like what was written.
 *
 * @param changes the canonical JSON of {@link AuditChanges}, as stored
 * @param requestId the correlation id, or null
 */
public record AuditRecord(
    long seq,
    Instant occurredAt,
    AuditActor actor,
    String action,
    AuditTarget target,
    String requestId,
    String changes,
    String prevHash,
    String hash) {

  /** The previous hash of the first record: there is none. */
  public static final String GENESIS = "0".repeat(64);

  /** The record in the current row of a {@code SELECT * FROM audit_log}, as stored. */
  public static AuditRecord read(java.sql.ResultSet row) throws java.sql.SQLException {
    return new AuditRecord(
        row.getLong("seq"),
        row.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant(),
        new AuditActor(
            row.getString("actor_kind"),
            row.getString("actor_id"),
            row.getString("actor_credential_id"),
            row.getString("actor_name"),
            row.getString("actor_role")),
        row.getString("action"),
        new AuditTarget(row.getString("target_type"), row.getString("target_id")),
        row.getString("request_id"),
        row.getString("changes"),
        row.getString("prev_hash"),
        row.getString("hash"));
  }

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** A new record, hashed: the successor of the record whose hash is {@code prevHash}. */
  static AuditRecord next(
      long seq,
      Instant occurredAt,
      AuditActor actor,
      String action,
      AuditTarget target,
      String requestId,
      String changes,
      String prevHash) {
    AuditRecord unhashed =
        new AuditRecord(
            seq,
            occurredAt.truncatedTo(ChronoUnit.MICROS),
            actor,
            action,
            target,
            requestId,
            changes,
            prevHash,
            null);
    return new AuditRecord(
        seq,
        unhashed.occurredAt,
        actor,
        action,
        target,
        requestId,
        changes,
        prevHash,
        unhashed.computeHash());
  }

  /** What {@link #hash} is the SHA-256 of (see the class comment). */
  public String canonicalEncoding() {
    Map<String, Object> actorFields = new LinkedHashMap<>();
    actorFields.put("kind", actor.kind());
    actorFields.put("id", actor.id());
    actorFields.put("credential_id", actor.credentialId());
    actorFields.put("name", actor.name());
    actorFields.put("role", actor.role());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", seq);
    fields.put("occurred_at", MICROS.format(occurredAt));
    fields.put("actor", actorFields);
    fields.put("action", action);
    fields.put("target", Map.of("type", target.type(), "id", target.id()));
    fields.put("request_id", requestId);
    fields.put("changes", new CanonicalJson.Raw(changes));
    fields.put("prev_hash", prevHash);
    return CanonicalJson.encode(fields);
  }

  /** The hash this record's contents call for, whatever {@link #hash} says. */
  public String computeHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalEncoding().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
