package io.payrail.platform.vault;

/**
 * Vault did not answer (refused, timed out, sealed, or a 5xx): transient, so a caller answers 503
 * with Retry-After and an activity lets Temporal retry. Never a reason to fall back to plaintext.
 */
public class VaultUnavailableException extends RuntimeException {

  public VaultUnavailableException(String what, Throwable cause) {
    super("Vault is unavailable (" + what + "): " + cause.getClass().getSimpleName());
  }
}
