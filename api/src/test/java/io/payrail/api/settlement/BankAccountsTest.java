package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.api.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BankAccountsTest {

  @ParameterizedTest
  @ValueSource(strings = {"021000021", "011000015", "026009593", "121000358"})
  void routingNumber_withAValidAbaCheckDigit_isAccepted(String routing) {
    assertThat(BankAccounts.isValidRoutingNumber(routing)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"021000022", "011000016", "02100002", "0210000210", "02100002a", ""})
  void routingNumber_withABadCheckDigitOrShape_isRefused(String routing) {
    assertThat(BankAccounts.isValidRoutingNumber(routing)).isFalse();
  }

  @Test
  void routingNumber_everySingleDigitChange_isCaught() {
    String valid = "021000021";
    for (int i = 0; i < valid.length(); i++) {
      for (char d = '0'; d <= '9'; d++) {
        if (d == valid.charAt(i)) {
          continue;
        }
        String changed = valid.substring(0, i) + d + valid.substring(i + 1);
        assertThat(BankAccounts.isValidRoutingNumber(changed)).as(changed).isFalse();
      }
    }
  }

  @Test
  void achAccountNumber_is4To17Digits() {
    assertThat(BankAccounts.requireAchAccountNumber("p", "1234")).isEqualTo("1234");
    assertThat(BankAccounts.requireAchAccountNumber("p", "12345678901234567"))
        .isEqualTo("12345678901234567");
    for (String bad : new String[] {"123", "123456789012345678", "12 34", "1234a"}) {
      assertThatThrownBy(() -> BankAccounts.requireAchAccountNumber("bank_account.n", bad))
          .isInstanceOf(ApiException.class)
          .extracting(e -> ((ApiException) e).param())
          .isEqualTo("bank_account.n");
    }
  }

  @Test
  void iban_isNormalised_andABadCheckDigitIsRefusedWithoutRepeatingIt() {
    assertThat(BankAccounts.requireIban("p", "de89 3704 0044 0532 0130 00"))
        .isEqualTo("DE89370400440532013000");

    assertThatThrownBy(
            () -> BankAccounts.requireIban("bank_account.iban", "DE89370400440532013001"))
        .isInstanceOf(ApiException.class)
        .hasMessageNotContaining("DE89370400440532013001")
        .extracting(e -> ((ApiException) e).param())
        .isEqualTo("bank_account.iban");
  }

  @Test
  void bic_of8Or11Characters_isAccepted_elseRefused() {
    assertThat(BankAccounts.requireBic("p", "deutdeff")).isEqualTo("DEUTDEFF");
    assertThat(BankAccounts.requireBic("p", "COBADEFFXXX")).isEqualTo("COBADEFFXXX");
    for (String bad : new String[] {"DEUTDE", "DEUT1EFF", "DEUTZZFF", "DEUTDEFF50"}) {
      assertThatThrownBy(() -> BankAccounts.requireBic("bank_account.bic", bad))
          .as(bad)
          .isInstanceOf(ApiException.class);
    }
  }

  @Test
  void masking_showsTheLastFourOnly() {
    assertThat(BankAccounts.masked(BankAccounts.last4("DE89370400440532013000")))
        .isEqualTo("****3000");
  }
}
