package io.payrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecisionTest {

  private static final Policy FIVE_PER_MINUTE =
      new Policy(
          new RateLimitProperties.Limit(
              5, Duration.ofMinutes(1), RateLimitProperties.WhenRedisDown.LOCAL),
          0);

  @Test
  void allowed_carriesRemainingAndSecondsUntilFull_roundedUp() {
    Decision decision = Decision.of(ConsumptionProbe.consumed(3, 24_000_000_001L), FIVE_PER_MINUTE);

    assertThat(decision.verdict()).isEqualTo(Decision.Verdict.ALLOWED);
    assertThat(decision.limit()).isEqualTo(5);
    assertThat(decision.remaining()).isEqualTo(3);
    assertThat(decision.resetSeconds()).isEqualTo(25);
    assertThat(decision.retryAfterSeconds()).isZero();
  }

  @Test
  void limited_retriesAfterTheNextToken_neverZeroSeconds() {
    Decision soon =
        Decision.of(ConsumptionProbe.rejected(0, 1_000_000L, 60_000_000_000L), FIVE_PER_MINUTE);
    Decision later =
        Decision.of(
            ConsumptionProbe.rejected(0, 11_500_000_000L, 60_000_000_000L), FIVE_PER_MINUTE);

    assertThat(soon.verdict()).isEqualTo(Decision.Verdict.LIMITED);
    assertThat(soon.retryAfterSeconds()).isEqualTo(1);
    assertThat(soon.remaining()).isZero();
    assertThat(later.retryAfterSeconds()).isEqualTo(12);
    assertThat(later.resetSeconds()).isEqualTo(60);
  }

  @Test
  void limitOutOfRange_isRefusedAtStartUp() {
    assertThatThrownBy(
            () ->
                new RateLimitProperties.Limit(
                    0, Duration.ofSeconds(1), RateLimitProperties.WhenRedisDown.LOCAL))
        .hasMessageContaining("capacity");
    assertThatThrownBy(
            () ->
                new RateLimitProperties.Limit(
                    5, Duration.ofMillis(10), RateLimitProperties.WhenRedisDown.LOCAL))
        .hasMessageContaining("period");
  }
}
