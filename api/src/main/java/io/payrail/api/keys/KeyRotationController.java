package io.payrail.api.keys;

import io.payrail.platform.card.KeyRotation;
import io.payrail.platform.card.KeyRotation.KeyState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rotation of the Vault transit keys that seal card data and webhook secrets (admin): rotate and
 * rewrap in one call, then retire the old versions once nothing uses them. Every step is safe to
 * repeat; see docs/secrets.md.
 *
 * <p>This controller is the one place where a key rotation is requested: the audit record of each
 * action (who, which keys, versions before and after) belongs in {@link #rotate} and {@link
 * #retire}.
 */
@RestController
@Tag(name = "Keys")
class KeyRotationController {

  private final KeyRotation rotation;

  KeyRotationController(KeyRotation rotation) {
    this.rotation = rotation;
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
    rotation.rotate();
    int rewrapped = rotation.rewrap();
    return new KeysResponse(KeyResponse.of(rotation.state()), rewrapped);
  }

  /** Raises each key's minimum decryption version to the oldest version still stored. */
  @PostMapping("/admin/v1/keys/retire")
  @Operation(summary = "Stop decrypting key versions no stored ciphertext uses (admin)")
  KeysResponse retire() {
    return new KeysResponse(KeyResponse.of(rotation.retireOldVersions()), null);
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
