package io.payrail.platform.card;

/**
 * No card has this token. A caller only holds tokens the vault gave out, so this is a defect or a
 * deleted card, never a transient failure: retrying cannot help.
 */
public class UnknownCardException extends RuntimeException {

  public UnknownCardException(String token) {
    super("no card with token " + token);
  }
}
