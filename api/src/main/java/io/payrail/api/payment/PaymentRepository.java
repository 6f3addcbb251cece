package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.CaptureMethod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  /**
   * One page of the merchant's payments, newest first, by keyset on (created_at, id): stable while
   * payments are being created, and as fast on page 1000 as on page 1.
   */
  Page list(String merchantId, ListQuery query) {
    StringBuilder sql = new StringBuilder(PaymentReads.SELECT).append(" WHERE p.merchant_id = :m");
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("m", merchantId);
    if (query.status() != null) {
      sql.append(" AND p.status = :status");
      params.put("status", query.status());
    }
    addCreated(sql, params, "gt", ">", query.createdGt());
    addCreated(sql, params, "gte", ">=", query.createdGte());
    addCreated(sql, params, "lt", "<", query.createdLt());
    addCreated(sql, params, "lte", "<=", query.createdLte());
    boolean backwards = query.endingBefore() != null;
    String cursor = backwards ? query.endingBefore() : query.startingAfter();
    if (cursor != null) {
      String param = backwards ? "ending_before" : "starting_after";
      Instant cursorCreated = createdAt(merchantId, cursor, param);
      sql.append(
          backwards
              ? " AND (p.created_at, p.id) > (:cc, :ci)"
              : " AND (p.created_at, p.id) < (:cc, :ci)");
      params.put("cc", OffsetDateTime.ofInstant(cursorCreated, ZoneOffset.UTC));
      params.put("ci", cursor);
    }
    sql.append(
        backwards ? " ORDER BY p.created_at, p.id" : " ORDER BY p.created_at DESC, p.id DESC");
    sql.append(" LIMIT :limit");
    params.put("limit", query.limit() + 1);
    List<PaymentObject> rows =
        new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(reads::map).list());
    boolean hasMore = rows.size() > query.limit();
    if (hasMore) {
      rows.removeLast();
    }
    if (backwards) {
      Collections.reverse(rows);
    }
    return new Page(rows, hasMore);
  }

  private Instant createdAt(String merchantId, String paymentId, String param) {
    return jdbc.sql("SELECT created_at FROM payments WHERE merchant_id = ? AND id = ?")
        .params(merchantId, paymentId)
        .query(OffsetDateTime.class)
        .optional()
        .map(OffsetDateTime::toInstant)
        .orElseThrow(
            () -> ApiException.invalid(param, "resource_missing", "No such payment: " + paymentId));
  }

  private static void addCreated(
      StringBuilder sql, Map<String, Object> params, String name, String operator, Long seconds) {
    if (seconds != null) {
      sql.append(" AND p.created_at ").append(operator).append(" :created_").append(name);
      params.put(
          "created_" + name,
          OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC));
    }
  }

  record ListQuery(
      int limit,
      String startingAfter,
      String endingBefore,
      String status,
      Long createdGt,
      Long createdGte,
      Long createdLt,
      Long createdLte) {}

  record Page(List<PaymentObject> data, boolean hasMore) {}
}
