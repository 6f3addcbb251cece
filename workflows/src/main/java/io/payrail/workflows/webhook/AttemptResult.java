package io.payrail.workflows.webhook;

/**
 * What one POST to an endpoint gave.
 *
 * @param outcome {@code DELIVERED} (any 2xx), {@code FAILED} (anything else: non-2xx, timeout,
 *     refused connection, a redirect, which is not followed), or {@code ENDPOINT_GONE} (deleted or
 *     disabled since: no more attempts)
 * @param statusCode the HTTP status, or 0 when there was no response
 */
public record AttemptResult(Outcome outcome, int statusCode) {

  public enum Outcome {
    DELIVERED,
    FAILED,
    ENDPOINT_GONE
  }
}
