package io.payrail.api.payment;

import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.CaptureMethod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code payments} rows the API writes (a new payment, {@code processing}) and lists. Every
 * later change of a row is the workflow's, through its record activity.
 */
@Repository
class PaymentRepository {

  private final JdbcClient jdbc;
  private final PaymentReads reads;
  private final JsonMapper json;

  PaymentRepository(JdbcClient jdbc, PaymentReads reads, JsonMapper json) {
    this.jdbc = jdbc;
    this.reads = reads;
    this.json = json;
  }

  /** The card of a payment already stored (by an earlier attempt of the same request). */
  java.util.Optional<String> cardTokenOf(String merchantId, String paymentId) {
    return jdbc.sql("SELECT card_token FROM payments WHERE merchant_id = ? AND id = ?")
        .params(merchantId, paymentId)
        .query(String.class)
        .optional();
  }

  /** Inserts the payment unless a retry of the same request already did. */
  void insert(
      String merchantId,
      String paymentId,
      Money amount,
      CaptureMethod captureMethod,
      String cardToken,
      PaymentRequests.Create request) {
    jdbc.sql(
            """
            INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method,
                                  card_token, description, statement_descriptor, metadata,
                                  customer_email)
            VALUES (?, ?, ?, ?, 'processing', ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (id) DO NOTHING
            """)
        .params(
            paymentId,
            merchantId,
            amount.minor(),
            amount.currency().getCurrencyCode(),
            captureMethod.name().toLowerCase(Locale.ROOT),
            cardToken,
            request.description(),
            request.statementDescriptor(),
            json.writeValueAsString(request.metadata() == null ? Map.of() : request.metadata()),
            request.customerEmail())
        .update();
  }

  /** One page of the merchant's payments, newest first (see {@link CursorPages}). */
  CursorPages.Page<PaymentObject> list(String merchantId, ListQuery query) {
    return list(merchantId, query, reads::map);
  }

  /**
   * One page of payments, newest first, each mapped with {@code mapper} (the rows of {@link
   * PaymentReads#SELECT}); {@code merchantId} null lists every merchant's, for staff.
   */
  <T> CursorPages.Page<T> list(
      String merchantId, ListQuery query, org.springframework.jdbc.core.RowMapper<T> mapper) {
    StringBuilder where = new StringBuilder();
    Map<String, Object> params = new java.util.HashMap<>();
    if (query.status() != null) {
      where.append(" AND p.status = :status");
      params.put("status", query.status());
    }
    addCreated(where, params, "gt", ">", query.createdGt());
    addCreated(where, params, "gte", ">=", query.createdGte());
    addCreated(where, params, "lt", "<", query.createdLt());
    addCreated(where, params, "lte", "<=", query.createdLte());
    return CursorPages.list(
        jdbc,
        PaymentReads.SELECT,
        "payments",
        "p",
        merchantId,
        where.toString(),
        params,
        query.limit(),
        query.startingAfter(),
        query.endingBefore(),
        mapper);
  }

  /** Unix seconds PostgreSQL can hold as a timestamp: 1970 to 9999. */
  private static final long MAX_SECONDS = 253_402_300_799L;

  private static void addCreated(
      StringBuilder sql, Map<String, Object> params, String name, String operator, Long seconds) {
    if (seconds != null) {
      if (seconds < 0 || seconds > MAX_SECONDS) {
        throw io.payrail.api.error.ApiException.invalid(
            "created[" + name + "]",
            "parameter_invalid",
            "created[" + name + "] must be Unix seconds between 0 and " + MAX_SECONDS);
      }
      sql.append(" AND p.created_at ").append(operator).append(" :created_").append(name);
      params.put(
          "created_" + name,
          OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC));
    }
  }

  /** The filters of a payment list, checked: a wrong one is a 400 naming it. */
  record ListQuery(
      int limit,
      String startingAfter,
      String endingBefore,
      String status,
      Long createdGt,
      Long createdGte,
      Long createdLt,
      Long createdLte) {

    private static final java.util.List<String> STATUSES =
        java.util.List.of("processing", "requires_capture", "succeeded", "canceled", "failed");

    ListQuery {
      CursorPages.check(limit, startingAfter, endingBefore);
      if (status != null && !STATUSES.contains(status)) {
        throw io.payrail.api.error.ApiException.invalid(
            "status", "parameter_invalid", "Unknown status: " + status);
      }
    }
  }
}
