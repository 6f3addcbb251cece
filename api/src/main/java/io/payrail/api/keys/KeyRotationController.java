package io.payrail.api.keys;

import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.platform.card.KeyRotation;
import io.payrail.platform.card.KeyRotation.KeyState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rotation of the Vault transit keys that seal card data and webhook secrets (admin): rotate and
 * rewrap in one call, then retire the old versions once nothing uses them. Every step is safe to
 * repeat; see docs/secrets.md.
 *
 * <p>This controller is the one place where a key rotation is requested. Each action appends an
 * audit record (who, which keys, their versions before and after, how many rows were rewrapped)
 * once Vault has done it: Vault's part cannot share the database's transaction, so a failed
 * rotation leaves no record, and a record is never written for a rotation that did not happen.
 */
@RestController
@Tag(name = "Keys")
class KeyRotationController {

  private final KeyRotation rotation;
  private final AuditLog audit;
  private final TransactionTemplate transaction;

  KeyRotationController(KeyRotation rotation, AuditLog audit, TransactionTemplate transaction) {
    this.rotation = rotation;
    this.audit = audit;
    this.transaction = transaction;
  }

  @GetMapping("/admin/v1/keys")
  @Operation(summary = "Each transit key's versions and the oldest version still stored (admin)")
  KeysResponse keys() {
    return new KeysResponse(KeyResponse.of(rotation.state()), null);
  }

  /**
   * Adds a version to each key and moves every stored ciphertext to it. Runs while payments are
   * made; for a large table it takes about a millisecond per card (docs/secrets.md).
   */
  @PostMapping("/admin/v1/keys/rotate")
  @Operation(summary = "Rotate the transit keys and rewrap every stored ciphertext (admin)")
  KeysResponse rotate() {
    List<KeyState> before = rotation.state();
    rotation.rotate();
    List<KeyState> rotated = rotation.state();
    // Recorded before the rewrap: a rewrap that fails (and is retried by calling rotate again)
    // must not leave a rotation Vault did without a record.
    audited("keys.rotated", before, rotated, null);
    int rewrapped = rotation.rewrap();
    audited("keys.rewrapped", rotated, rotation.state(), rewrapped);
    return new KeysResponse(KeyResponse.of(rotation.state()), rewrapped);
  }

  /** Raises each key's minimum decryption version to the oldest version still stored. */
  @PostMapping("/admin/v1/keys/retire")
  @Operation(summary = "Stop decrypting key versions no stored ciphertext uses (admin)")
  KeysResponse retire() {
    List<KeyState> before = rotation.state();
    List<KeyState> after = rotation.retireOldVersions();
    audited("keys.retired", before, after, null);
    return new KeysResponse(KeyResponse.of(after), null);
  }

  private void audited(
      String action, List<KeyState> before, List<KeyState> after, Integer rewrapped) {
    Map<String, Object> became = versions(after);
    if (rewrapped != null) {
      became.put("rewrapped", rewrapped);
    }
    transaction.executeWithoutResult(
        status ->
            audit.record(
                action,
                AuditTarget.of("transit_keys", "payrail"),
                AuditChanges.of(versions(before), became)));
  }

  /** Each key's versions, as the audit record shows them. */
  private static Map<String, Object> versions(List<KeyState> states) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(
        "keys",
        states.stream()
            .map(
                state -> {
                  Map<String, Object> key = new LinkedHashMap<>();
                  key.put("key", state.key());
                  key.put("latest_version", state.latestVersion());
                  key.put("min_decryption_version", state.minDecryptionVersion());
                  return key;
                })
            .toList());
    return fields;
  }

  /**
   * @param rewrapped how many rows (cards, webhook endpoints) moved to the newest version; null
   *     when nothing was rewrapped
   */
  record KeysResponse(List<KeyResponse> keys, Integer rewrapped) {}

  record KeyResponse(
      String key, int latestVersion, int minDecryptionVersion, Integer oldestVersionInUse) {

    static List<KeyResponse> of(List<KeyState> states) {
      return states.stream()
          .map(
              state ->
                  new KeyResponse(
                      state.key(),
                      state.latestVersion(),
                      state.minDecryptionVersion(),
                      state.oldestVersionInUse()))
          .toList();
    }
  }
}
