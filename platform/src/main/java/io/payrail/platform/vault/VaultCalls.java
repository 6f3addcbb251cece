package io.payrail.platform.vault;

import java.io.IOException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.vault.VaultException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * Runs a call to Vault and sorts its failure: Vault unreachable or failing (an I/O error, a
 * timeout, a 5xx such as a sealed Vault's 503) becomes {@link VaultUnavailableException}; anything
 * else (a 4xx: permission denied, a ciphertext that does not decrypt) stays what it is, a defect.
 * spring-vault turns an HTTP error into a {@code VaultException} whose message starts with its
 * status ({@code Status 503 ...}) and lets I/O errors through, so the whole cause chain is
 * searched.
 */
public final class VaultCalls {

  private static final Pattern SERVER_ERROR = Pattern.compile("Status 5[0-9][0-9]\\b");

  private VaultCalls() {}

  /**
   * @param what the operation, for the message ({@code "encrypt card data"}); never a value
   */
  public static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (isUnavailable(e)) {
        throw new VaultUnavailableException(what, e);
      }
      throw e;
    }
  }

  static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ResourceAccessException
          || cause instanceof HttpServerErrorException
          || cause instanceof IOException
          || cause instanceof VaultUnavailableException
          || (cause instanceof VaultException
              && cause.getMessage() != null
              && SERVER_ERROR.matcher(cause.getMessage()).lookingAt())) {
        return true;
      }
    }
    return false;
  }
}
