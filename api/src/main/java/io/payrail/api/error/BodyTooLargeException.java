package io.payrail.api.error;

import java.io.IOException;

/** Reading a request body went past the size limit; answered with a 413 error object. */
public final class BodyTooLargeException extends IOException {

  public BodyTooLargeException(int limit) {
    super("request body over " + limit + " bytes");
  }
}
