package io.payrail.activities.ledger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.payrail.activities.ledger.Ledger.Line;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Line lists are checked before the database is touched. */
class LedgerTest {

  private static final Currency USD = Currency.getInstance("USD");

  private final JdbcClient jdbc = mock(JdbcClient.class);
  private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
  private final Ledger ledger = new Ledger(jdbc, transactions);

  @Test
  void unbalancedLines_areRejected_beforeTheDatabase() {
    List<Line> lines =
        List.of(Line.debit("acquirer_authorized", null, 1000), Line.credit("x", "mer_1", 999));

    assertThatThrownBy(() -> ledger.post("k", "authorization", null, USD, lines))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum to zero, not 1");
    verifyNoInteractions(jdbc, transactions);
  }

  @Test
  void aSingleLine_orNone_isRejected() {
    assertThatThrownBy(() -> ledger.post("k", "x", null, USD, List.of()))
        .hasMessageContaining("at least two lines");
    assertThatThrownBy(() -> ledger.post("k", "x", null, USD, List.of(Line.debit("a", null, 1))))
        .hasMessageContaining("at least two lines");
    verifyNoInteractions(jdbc, transactions);
  }

  @Test
  void linesWhoseSumOverflows_areRejected() {
    List<Line> lines =
        List.of(
            Line.debit("a", null, Long.MAX_VALUE),
            Line.debit("b", null, Long.MAX_VALUE),
            Line.credit("c", null, 2));

    assertThatThrownBy(() -> ledger.post("k", "x", null, USD, lines))
        .isInstanceOf(ArithmeticException.class);
    verifyNoInteractions(jdbc, transactions);
  }

  @Test
  void aLineOfZero_orWithoutAccount_isRejected() {
    assertThatThrownBy(() -> Line.debit("a", null, 0)).hasMessageContaining("moves nothing");
    assertThatThrownBy(() -> Line.debit(" ", null, 1)).hasMessageContaining("account code");
  }
}
