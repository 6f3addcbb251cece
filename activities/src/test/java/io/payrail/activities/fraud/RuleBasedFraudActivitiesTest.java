package io.payrail.activities.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.FraudCheck;
import io.payrail.workflows.payment.FraudDecision;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleBasedFraudActivitiesTest {

  private static final String CLEAN_BIN = "424242";

  private final RuleBasedFraudActivities defaults =
      new RuleBasedFraudActivities(FraudRulesProperties.defaults());

  private final RuleBasedFraudActivities configured =
      new RuleBasedFraudActivities(
          new FraudRulesProperties(
              Map.of("usd", 50_000L, "CHF", 200_000L),
              300_000L,
              Set.of("400000"),
              Set.of("Fraudster@Example.com"),
              Set.of("@mailinator.com")));

  @Test
  void amountAtTheDefaultLimit_isAllowed_andOneMinorUnitMore_isBlocked() {
    assertThat(defaults.assess(check(1_000_000, "USD"))).isEqualTo(FraudDecision.allow());
    assertThat(defaults.assess(check(1_000_001, "USD")))
        .isEqualTo(FraudDecision.block("amount_limit"));
  }

  @Test
  void defaultLimits_areAboutTenThousandDollars_inEachListedCurrency() {
    assertThat(defaults.assess(check(1_000_000, "EUR")).allowed()).isTrue();
    assertThat(defaults.assess(check(1_000_001, "GBP")).allowed()).isFalse();
    assertThat(defaults.assess(check(1_500_000, "JPY")).allowed()).isTrue();
    assertThat(defaults.assess(check(1_500_001, "JPY")).allowed()).isFalse();
  }

  @Test
  void unlistedCurrency_fallsBackToTheDefaultMaximum() {
    assertThat(defaults.assess(check(1_000_000, "SEK")).allowed()).isTrue();
    assertThat(defaults.assess(check(1_000_001, "SEK")).reason()).isEqualTo("amount_limit");
    assertThat(configured.assess(check(300_001, "SEK")).reason()).isEqualTo("amount_limit");
  }

  @Test
  void configuredLimit_replacesItsCurrencysDefault_only() {
    assertThat(configured.assess(check(50_001, "USD")).reason()).isEqualTo("amount_limit");
    assertThat(configured.assess(check(200_000, "CHF")).allowed()).isTrue();
    assertThat(configured.assess(check(1_000_000, "EUR")).allowed()).isTrue();
  }

  @Test
  void blockedBin_isBlocked() {
    assertThat(configured.assess(check(1000, "USD", "400000", "a@example.org")))
        .isEqualTo(FraudDecision.block("blocked_bin"));
    assertThat(configured.assess(check(1000, "USD", "400001", "a@example.org")).allowed()).isTrue();
  }

  @Test
  void blockedEmail_matchesIgnoringCase() {
    assertThat(configured.assess(check(1000, "USD", CLEAN_BIN, "FRAUDSTER@example.COM")))
        .isEqualTo(FraudDecision.block("blocked_email"));
    assertThat(configured.assess(check(1000, "USD", CLEAN_BIN, "fraudster2@example.com")).allowed())
        .isTrue();
  }

  @Test
  void blockedDomain_blocksItsAddressesAndSubdomains_butNotLookAlikes() {
    assertThat(configured.assess(check(1000, "USD", CLEAN_BIN, "x@Mailinator.com")).reason())
        .isEqualTo("blocked_email");
    assertThat(configured.assess(check(1000, "USD", CLEAN_BIN, "x@eu.mailinator.com")).reason())
        .isEqualTo("blocked_email");
    assertThat(configured.assess(check(1000, "USD", CLEAN_BIN, "x@notmailinator.com")).allowed())
        .isTrue();
  }

  @Test
  void amountRule_decidesBeforeTheOthers() {
    assertThat(configured.assess(check(50_001, "USD", "400000", "fraudster@example.com")).reason())
        .isEqualTo("amount_limit");
    assertThat(configured.assess(check(1000, "USD", "400000", "fraudster@example.com")).reason())
        .isEqualTo("blocked_bin");
  }

  @Test
  void missingBinOrEmail_isNotABlock() {
    assertThat(configured.assess(check(1000, "USD", null, null))).isEqualTo(FraudDecision.allow());
  }

  @Test
  void malformedConfiguration_isRejectedAtStartUp() {
    assertThatThrownBy(() -> new FraudRulesProperties(null, null, Set.of("4242"), null, null))
        .hasMessageContaining("blocked-bins");
    assertThatThrownBy(() -> new FraudRulesProperties(Map.of("USD", 0L), null, null, null, null))
        .hasMessageContaining("max-amount.USD");
    assertThatThrownBy(
            () -> new FraudRulesProperties(Map.of("DOLLARS", 1L), null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static FraudCheck check(long minor, String currency) {
    return check(minor, currency, CLEAN_BIN, "customer@example.org");
  }

  private static FraudCheck check(long minor, String currency, String bin, String email) {
    return new FraudCheck("pay_1", "mer_1", Money.of(minor, currency), bin, email);
  }
}
