package io.payrail.activities.fraud;

import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.payment.FraudActivities;
import io.payrail.workflows.payment.FraudCheck;
import io.payrail.workflows.payment.FraudDecision;
import io.temporal.spring.boot.ActivityImpl;
import java.util.Locale;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The risk check as fixed rules from configuration ({@link FraudRulesProperties}), applied in this
 * order, the first that matches deciding:
 *
 * <ol>
 *   <li>{@value #AMOUNT_LIMIT}: the amount is above its currency's maximum;
 *   <li>{@value #BLOCKED_BIN}: the card's BIN is blocked;
 *   <li>{@value #BLOCKED_EMAIL}: the customer's email, or its domain, is blocked.
 * </ol>
 *
 * <p>A pure function of the check and the rules, so a retried activity decides alike.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.PAYMENTS)
@EnableConfigurationProperties(FraudRulesProperties.class)
public class RuleBasedFraudActivities implements FraudActivities {

  public static final String AMOUNT_LIMIT = "amount_limit";
  public static final String BLOCKED_BIN = "blocked_bin";
  public static final String BLOCKED_EMAIL = "blocked_email";

  private final FraudRulesProperties rules;

  public RuleBasedFraudActivities(FraudRulesProperties rules) {
    this.rules = rules;
  }

  @Override
  public FraudDecision assess(FraudCheck check) {
    if (check.amount().minor() > rules.maxAmountOf(check.amount().currency())) {
      return FraudDecision.block(AMOUNT_LIMIT);
    }
    if (check.cardBin() != null && rules.blockedBins().contains(check.cardBin())) {
      return FraudDecision.block(BLOCKED_BIN);
    }
    if (check.customerEmail() != null && isBlocked(check.customerEmail())) {
      return FraudDecision.block(BLOCKED_EMAIL);
    }
    return FraudDecision.allow();
  }

  private boolean isBlocked(String email) {
    String address = email.strip().toLowerCase(Locale.ROOT);
    if (rules.blockedEmails().contains(address)) {
      return true;
    }
    String domain = address.substring(address.lastIndexOf('@') + 1);
    for (String blocked : rules.blockedEmailDomains()) {
      if (domain.equals(blocked) || domain.endsWith("." + blocked)) {
        return true;
      }
    }
    return false;
  }
}
