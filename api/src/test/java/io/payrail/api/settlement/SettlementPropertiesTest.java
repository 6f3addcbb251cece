package io.payrail.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.workflows.settlement.SettlementCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettlementPropertiesTest {

  private final SettlementProperties settlement =
      new SettlementProperties(List.of(new SettlementCalendar("USD", "22:00", "America/New_York")));

  @Test
  void beforeTheCutOff_theItemBelongsToTodaysBusinessDay() {
    // 21:59 in New York (EST, UTC-5) on 24 November
    assertThat(settlement.businessDate("USD", Instant.parse("2026-11-25T02:59:00Z")))
        .isEqualTo(LocalDate.parse("2026-11-24"));
  }

  @Test
  void atAndAfterTheCutOff_theItemBelongsToTheNextBusinessDay() {
    assertThat(settlement.businessDate("USD", Instant.parse("2026-11-25T03:00:00Z")))
        .isEqualTo(LocalDate.parse("2026-11-25"));
    assertThat(settlement.businessDate("USD", Instant.parse("2026-11-25T04:30:00Z")))
        .isEqualTo(LocalDate.parse("2026-11-25"));
  }

  @Test
  void aCurrencyWithoutCalendar_usesTheUtcDate() {
    assertThat(settlement.businessDate("GBP", Instant.parse("2026-11-25T02:59:00Z")))
        .isEqualTo(LocalDate.parse("2026-11-25"));
  }
}
