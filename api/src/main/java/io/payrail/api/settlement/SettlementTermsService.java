package io.payrail.api.settlement;

import io.payrail.api.error.ApiException;
import io.payrail.api.security.Caller;
import io.payrail.platform.audit.AuditChanges;
import io.payrail.platform.audit.AuditLog;
import io.payrail.platform.audit.AuditTarget;
import io.payrail.platform.card.CardVault;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates versions of a merchant's settlement terms: checks what bean validation cannot (the rail's
 * account fields, the rail's currency, the date), seals the account number or IBAN bound to the
 * merchant, and records the version and its audit record in one transaction. The account number
 * never leaves this method other than sealed: the row, the audit record and the answer hold its
 * last four characters only.
 */
@Service
class SettlementTermsService {

  static final String ACH = "ach";
  static final String SEPA = "sepa";

  /** How far back or ahead a version may start: a year either way. */
  private static final int MAX_DAYS_FROM_TODAY = 366;

  private static final String ACCOUNT = "bank_account.";

  private final SettlementTermsRepository terms;
  private final CardVault vault;
  private final AuditLog audit;
  private final Clock clock;

  SettlementTermsService(
      SettlementTermsRepository terms, CardVault vault, AuditLog audit, Clock clock) {
    this.terms = terms;
    this.vault = vault;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  SettlementTerms create(String merchantId, SettlementTermsController.CreateTermsRequest request) {
    if (!terms.merchantExists(merchantId)) {
      throw ApiException.notFound("merchant", merchantId);
    }
    checkEffectiveFrom(request.effectiveFrom());
    String rail = request.payoutRail();
    String currency = request.settlementCurrency();
    String expectedCurrency = ACH.equals(rail) ? "USD" : "EUR";
    if (!expectedCurrency.equals(currency)) {
      throw ApiException.invalid(
          "settlement_currency",
          "currency_rail_mismatch",
          "The " + rail + " rail pays out in " + expectedCurrency + ", not " + currency);
    }
    SettlementTermsController.BankAccountRequest account = request.bankAccount();
    String routing = null;
    String bic = null;
    String number;
    if (ACH.equals(rail)) {
      BankAccounts.requireAbsent(ACCOUNT + "iban", account.iban(), rail);
      BankAccounts.requireAbsent(ACCOUNT + "bic", account.bic(), rail);
      routing =
          BankAccounts.requireRoutingNumber(ACCOUNT + "routing_number", account.routingNumber());
      number =
          BankAccounts.requireAchAccountNumber(ACCOUNT + "account_number", account.accountNumber());
    } else {
      BankAccounts.requireAbsent(ACCOUNT + "routing_number", account.routingNumber(), rail);
      BankAccounts.requireAbsent(ACCOUNT + "account_number", account.accountNumber(), rail);
      number = BankAccounts.requireIban(ACCOUNT + "iban", account.iban());
      bic = BankAccounts.requireBic(ACCOUNT + "bic", account.bic());
    }
    String createdBy = Caller.current().map(Caller::id).orElse("unknown");
    SettlementTerms created =
        terms.insert(
            new SettlementTermsRepository.NewTerms(
                merchantId,
                request.effectiveFrom(),
                currency,
                request.feeBasisPoints(),
                request.feeFixed(),
                request.refundFeePolicy(),
                request.payoutDelayDays(),
                request.minimumPayout(),
                request.reserveBasisPoints(),
                request.reserveHoldDays(),
                rail,
                account.accountHolder().strip(),
                routing,
                bic,
                vault.sealBankAccount(merchantId, number),
                BankAccounts.last4(number),
                createdBy));
    audit.record(
        "settlement_terms.created",
        AuditTarget.of("settlement_terms", Long.toString(created.id())),
        AuditChanges.created(audited(created)));
    return created;
  }

  private void checkEffectiveFrom(LocalDate effectiveFrom) {
    LocalDate today = LocalDate.now(clock);
    if (effectiveFrom.isBefore(today.minusDays(MAX_DAYS_FROM_TODAY))
        || effectiveFrom.isAfter(today.plusDays(MAX_DAYS_FROM_TODAY))) {
      throw ApiException.invalid(
          "effective_from",
          "parameter_invalid",
          "effective_from must be within a year of today (" + today + ")");
    }
  }

  /**
   * What the audit record keeps: every term, the account masked. Field names avoid the words the
   * audit log refuses ({@code number}): the routing number is public, and recorded as {@code
   * aba_routing}.
   */
  private static Map<String, Object> audited(SettlementTerms t) {
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("merchant_id", t.merchantId());
    after.put("effective_from", t.effectiveFrom().toString());
    after.put("settlement_currency", t.settlementCurrency());
    after.put("fee_basis_points", t.feeBasisPoints());
    after.put("fee_fixed", t.feeFixed());
    after.put("refund_fee_policy", t.refundFeePolicy());
    after.put("payout_delay_days", t.payoutDelayDays());
    after.put("minimum_payout", t.minimumPayout());
    after.put("reserve_basis_points", t.reserveBasisPoints());
    after.put("reserve_hold_days", t.reserveHoldDays());
    after.put("payout_rail", t.payoutRail());
    after.put("account_holder", t.accountHolder());
    if (t.routingNumber() != null) {
      after.put("aba_routing", t.routingNumber());
    }
    if (t.bic() != null) {
      after.put("bic", t.bic());
    }
    after.put("account", BankAccounts.masked(t.accountLast4()));
    return after;
  }
}
