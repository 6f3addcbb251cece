package io.payrail.api.payment;

import io.payrail.api.error.ApiException;
import io.payrail.platform.payment.PaymentObject;
import io.payrail.platform.payment.PaymentReads;
import io.payrail.platform.refund.RefundObject;
import io.payrail.platform.refund.RefundReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /staff/v1/payments}: operators read any merchant's payments and their refunds, to answer a
 * merchant or investigate an incident; they change nothing. Each payment comes with the merchant it
 * belongs to; the list takes the merchant's filters and pagination, and {@code merchant}.
 */
@RestController
@Tag(name = "Staff: payments")
class StaffPaymentController {

  private final PaymentRepository payments;
  private final PaymentReads paymentReads;
  private final RefundReads refundReads;
  private final JdbcClient jdbc;

  StaffPaymentController(
      PaymentRepository payments,
      PaymentReads paymentReads,
      RefundReads refundReads,
      JdbcClient jdbc) {
    this.payments = payments;
    this.paymentReads = paymentReads;
    this.refundReads = refundReads;
    this.jdbc = jdbc;
  }

  /** A payment and whose it is. */
  record StaffPayment(String merchant, PaymentObject payment) {}

  record StaffPaymentList(String object, String url, boolean hasMore, List<StaffPayment> data) {}

  record StaffRefundList(String object, String url, boolean hasMore, List<RefundObject> data) {}

  @GetMapping("/staff/v1/payments")
  @Operation(summary = "List payments of every merchant, or of one, newest first (operator)")
  StaffPaymentList list(
      @Parameter(description = "Only this merchant's payments")
          @RequestParam(name = "merchant", required = false)
          String merchant,
      @Parameter(description = "1 to 100, default 10") @RequestParam(defaultValue = "10") int limit,
      @Parameter(description = "A payment id: the page after it")
          @RequestParam(name = "starting_after", required = false)
          String startingAfter,
      @Parameter(description = "A payment id: the page before it")
          @RequestParam(name = "ending_before", required = false)
          String endingBefore,
      @RequestParam(required = false) String status,
      @Parameter(description = "Unix seconds") @RequestParam(name = "created[gt]", required = false)
          Long createdGt,
      @RequestParam(name = "created[gte]", required = false) Long createdGte,
      @RequestParam(name = "created[lt]", required = false) Long createdLt,
      @RequestParam(name = "created[lte]", required = false) Long createdLte) {
    if (merchant != null && !merchant.matches("mer_[A-Za-z0-9]{24}")) {
      throw ApiException.invalid("merchant", "parameter_invalid", "Not a merchant id: " + merchant);
    }
    CursorPages.Page<StaffPayment> page =
        payments.list(
            merchant,
            new PaymentRepository.ListQuery(
                limit,
                startingAfter,
                endingBefore,
                status,
                createdGt,
                createdGte,
                createdLt,
                createdLte),
            this::staffPayment);
    return new StaffPaymentList("list", "/staff/v1/payments", page.hasMore(), page.data());
  }

  @GetMapping("/staff/v1/payments/{id}")
  @Operation(summary = "Retrieve any merchant's payment (operator)")
  StaffPayment get(@PathVariable String id) {
    return jdbc.sql(PaymentReads.SELECT + " WHERE p.id = ?")
        .param(id)
        .query(this::staffPayment)
        .optional()
        .orElseThrow(() -> ApiException.notFound("payment", id));
  }

  @GetMapping("/staff/v1/payments/{id}/refunds")
  @Operation(summary = "A payment's refunds, newest first (operator)")
  StaffRefundList refunds(
      @PathVariable String id,
      @RequestParam(defaultValue = "10") int limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter,
      @RequestParam(name = "ending_before", required = false) String endingBefore) {
    CursorPages.check(limit, startingAfter, endingBefore);
    String merchant = get(id).merchant();
    CursorPages.Page<RefundObject> page =
        CursorPages.list(
            jdbc,
            RefundReads.SELECT,
            "refunds",
            "r",
            merchant,
            " AND r.payment_id = :payment",
            Map.of("payment", id),
            limit,
            startingAfter,
            endingBefore,
            refundReads::map);
    return new StaffRefundList(
        "list", "/staff/v1/payments/" + id + "/refunds", page.hasMore(), page.data());
  }

  private StaffPayment staffPayment(ResultSet row, int rowNumber) throws SQLException {
    return new StaffPayment(row.getString("merchant_id"), paymentReads.map(row, rowNumber));
  }
}
