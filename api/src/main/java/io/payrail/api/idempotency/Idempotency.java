package io.payrail.api.idempotency;

import io.payrail.api.error.ApiError;
import io.payrail.api.error.ApiException;
import io.payrail.api.error.ErrorTypes;
import io.payrail.workflows.common.CorrelationId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's idempotent requests. The first request with an {@code Idempotency-Key} claims it for its
 * merchant, with a hash of its method, path and parameters and the id of what it creates; its
 * response (success or a 4xx) is stored and replayed byte for byte to every later request with the
 * same key and parameters for {@link IdempotencyProperties#retention()}. The same key with other
 * parameters is a 400 {@code idempotency_error}; while the first request runs, a 409.
 *
 * <p>A request that fails unexpectedly (5xx) keeps its claim and reserved id but lets go of the
 * lock, so a retry does the work again under the same id; the payment's workflow id and update id
 * make that second run attach to the first one's workflow instead of charging again.
 */
@Component
public class Idempotency {

  public static final String HEADER = "Idempotency-Key";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final IdempotencyProperties properties;

  Idempotency(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      JsonMapper json,
      IdempotencyProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
    this.properties = properties;
  }

  /**
   * Runs {@code action} with the id of the object it creates: a fresh one from {@code newId}, or
   * the one reserved by the first request with the same key.
   */
  public ResponseEntity<?> run(
      String merchantId,
      String key,
      String method,
      String path,
      Object parameters,
      Supplier<String> newId,
      Function<String, ResponseEntity<?>> action) {
    if (key == null) {
      return action.apply(newId.get());
    }
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw ApiException.invalid(
          "Idempotency-Key",
          "idempotency_key_invalid",
          "An Idempotency-Key is 1 to 255 printable ASCII characters without spaces.");
    }
    // Map entries sorted, so {"a":1,"b":2} and {"b":2,"a":1} are the same parameters.
    String canonical =
        json.writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .writeValueAsString(parameters);
    byte[] hash = hash(method + " " + path + "\n" + canonical);
    Claim claim = claim(merchantId, key, method, path, hash, newId.get());
    return switch (claim) {
      case Claim.Replay replay ->
          ResponseEntity.status(replay.status())
              .contentType(MediaType.APPLICATION_JSON)
              .header("Idempotent-Replayed", "true")
              .body(replay.body());
      case Claim.Acquired acquired -> runClaimed(merchantId, key, acquired.resourceId(), action);
    };
  }

  private ResponseEntity<?> runClaimed(
      String merchantId,
      String key,
      String resourceId,
      Function<String, ResponseEntity<?>> action) {
    ResponseEntity<?> response;
    try {
      response = action.apply(resourceId);
    } catch (ApiException e) {
      if (e.status().is4xxClientError()) {
        store(
            merchantId,
            key,
            e.status().value(),
            json.writeValueAsString(ApiError.of(e, MDC.get(CorrelationId.MDC_KEY))));
      } else {
        unlock(merchantId, key);
      }
      throw e;
    } catch (RuntimeException | Error e) {
      unlock(merchantId, key);
      throw e;
    }
    if (response.getStatusCode().value() == 202) {
      // Still running: a retry with this key must get the outcome, not this interim answer.
      unlock(merchantId, key);
    } else {
      store(
          merchantId,
          key,
          response.getStatusCode().value(),
          json.writeValueAsString(response.getBody()));
    }
    return response;
  }

  private Claim claim(
      String merchantId, String key, String method, String path, byte[] hash, String newId) {
    return transactions.execute(
        tx -> {
          int inserted =
              jdbc.sql(
                      """
                      INSERT INTO idempotency_keys (merchant_id, key, request_method, request_path,
                          request_hash, resource_id, locked_until, expires_at)
                      VALUES (?, ?, ?, ?, ?, ?, now() + ?::interval, now() + ?::interval)
                      ON CONFLICT (merchant_id, key) DO NOTHING
                      """)
                  .params(
                      merchantId,
                      key,
                      method,
                      path,
                      hash,
                      newId,
                      interval(properties.lock()),
                      interval(properties.retention()))
                  .update();
          if (inserted == 1) {
            return new Claim.Acquired(newId);
          }
          Stored stored =
              jdbc.sql(
                      """
                      SELECT request_method, request_path, request_hash, resource_id,
                             response_status, response_body,
                             locked_until > now() AS locked, expires_at <= now() AS expired
                      FROM idempotency_keys WHERE merchant_id = ? AND key = ? FOR UPDATE
                      """)
                  .params(merchantId, key)
                  .query(
                      (row, n) ->
                          new Stored(
                              row.getString(1),
                              row.getString(2),
                              row.getBytes(3),
                              row.getString(4),
                              (Integer) row.getObject(5),
                              row.getString(6),
                              row.getBoolean(7),
                              row.getBoolean(8)))
                  .single();
          if (stored.expired()) {
            jdbc.sql(
                    """
                    UPDATE idempotency_keys SET request_method = ?, request_path = ?,
                        request_hash = ?, resource_id = ?, response_status = NULL,
                        response_body = NULL, locked_until = now() + ?::interval,
                        created_at = now(), expires_at = now() + ?::interval
                    WHERE merchant_id = ? AND key = ?
                    """)
                .params(
                    method,
                    path,
                    hash,
                    newId,
                    interval(properties.lock()),
                    interval(properties.retention()),
                    merchantId,
                    key)
                .update();
            return new Claim.Acquired(newId);
          }
          if (!stored.method().equals(method)
              || !stored.path().equals(path)
              || !Arrays.equals(stored.hash(), hash)) {
            throw new ApiException(
                HttpStatus.BAD_REQUEST,
                ErrorTypes.IDEMPOTENCY,
                "idempotency_key_reused",
                "Keys for idempotent requests can only be used with the same parameters they"
                    + " were first used with. Try a different key if you meant to make a"
                    + " different request.",
                "Idempotency-Key");
          }
          if (stored.responseStatus() != null) {
            return new Claim.Replay(stored.responseStatus(), stored.responseBody());
          }
          if (stored.locked()) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    ErrorTypes.IDEMPOTENCY,
                    "idempotency_key_in_use",
                    "A request with this Idempotency-Key is still being processed; retry once it"
                        + " has finished.",
                    "Idempotency-Key")
                .retryAfter(1);
          }
          // The first holder died or failed unexpectedly: this request takes over its work.
          jdbc.sql(
                  """
                  UPDATE idempotency_keys SET locked_until = now() + ?::interval
                  WHERE merchant_id = ? AND key = ?
                  """)
              .params(interval(properties.lock()), merchantId, key)
              .update();
          return new Claim.Acquired(stored.resourceId());
        });
  }

  private void store(String merchantId, String key, int status, String body) {
    jdbc.sql(
            """
            UPDATE idempotency_keys SET response_status = ?, response_body = ?, locked_until = NULL
            WHERE merchant_id = ? AND key = ?
            """)
        .params(status, body, merchantId, key)
        .update();
  }

  private void unlock(String merchantId, String key) {
    jdbc.sql("UPDATE idempotency_keys SET locked_until = NULL WHERE merchant_id = ? AND key = ?")
        .params(merchantId, key)
        .update();
  }

  private static String interval(java.time.Duration duration) {
    return duration.toMillis() + " milliseconds";
  }

  private static byte[] hash(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private sealed interface Claim {
    record Acquired(String resourceId) implements Claim {}

    record Replay(int status, String body) implements Claim {}
  }

  private record Stored(
      String method,
      String path,
      byte[] hash,
      String resourceId,
      Integer responseStatus,
      String responseBody,
      boolean locked,
      boolean expired) {}
}
