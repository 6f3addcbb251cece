package io.payrail.workflows.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.instancio.Random;
import org.instancio.junit.Given;
import org.instancio.junit.GivenProvider;
import org.instancio.junit.InstancioExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fee arithmetic's properties over generated plans and days (Instancio; a failure prints its
 * seed, and {@code @Seed(n)} on the method replays it).
 */
@ExtendWith(InstancioExtension.class)
class FeePlanTest {

  /** Plans across the whole range the schema allows, edges included. */
  static class Plans implements GivenProvider {
    @Override
    public Object provide(ElementContext context) {
      Random random = context.random();
      return new FeePlan(
          basisPoints(random),
          random.oneOf(0L, 30L, random.longRange(0, 100_000)),
          random.trueOrFalse(),
          basisPoints(random),
          random.oneOf(0, 1, random.intRange(0, 365)));
    }

    private static int basisPoints(Random random) {
      return random.oneOf(0, 1, 10_000, random.intRange(0, 10_000));
    }
  }

  /** Days from empty to a billion units, refunds sometimes above the day's captures. */
  static class Days implements GivenProvider {
    @Override
    public Object provide(ElementContext context) {
      Random random = context.random();
      int captures = random.intRange(0, 50_000);
      long gross = captures == 0 ? 0 : random.longRange(captures, 1_000_000_000_000L);
      int refunds = random.intRange(0, 1_000);
      long refunded = refunds == 0 ? 0 : random.longRange(refunds, gross + 1_000_000);
      return new MerchantDay(
          captures, refunds, gross, refunded, random.oneOf(0L, random.longRange(0, gross + 1)));
    }
  }

  @RepeatedTest(2000)
  void netIsGrossLessRefundsFeesAndReserveHeldPlusReleased_exactly(
      @Given(Plans.class) FeePlan plan, @Given(Days.class) MerchantDay day) {
    MerchantFigures figures = plan.settle(day);

    assertThat(figures.net())
        .isEqualTo(
            figures.gross()
                - figures.refunds()
                - figures.fees()
                - figures.reserveHeld()
                + figures.reserveReleased());
    assertThat(figures.gross()).isEqualTo(day.gross());
    assertThat(figures.refunds()).isEqualTo(day.refunds());
    assertThat(figures.reserveReleased()).isEqualTo(day.reserveReleased());
    assertThat(figures.reserveHeld()).isNotNegative();
  }

  @RepeatedTest(2000)
  void feesAreNeverNegative_whenRefundsKeepTheFees(
      @Given(Plans.class) FeePlan plan, @Given(Days.class) MerchantDay day) {
    FeePlan keepsFees =
        new FeePlan(
            plan.feeBasisPoints(),
            plan.feeFixed(),
            false,
            plan.reserveBasisPoints(),
            plan.reserveHoldDays());

    assertThat(keepsFees.settle(day).fees()).isNotNegative();
  }

  @RepeatedTest(2000)
  void feesAreThePercentageOnceOnTheDayPlusTheFixedPart_lessThePercentageOfRefunds(
      @Given(Plans.class) FeePlan plan, @Given(Days.class) MerchantDay day) {
    long expected =
        halfUp(day.gross(), plan.feeBasisPoints()) + plan.feeFixed() * day.captureCount();
    if (plan.refundReturnsFees()) {
      expected -= halfUp(day.refunds(), plan.feeBasisPoints());
    }

    assertThat(plan.settle(day).fees()).isEqualTo(expected);
  }

  @RepeatedTest(1000)
  void reserveIsHeldOnCapturesLessRefunds_onlyWhenPositiveAndHeldForSomeDays(
      @Given(Plans.class) FeePlan plan, @Given(Days.class) MerchantDay day) {
    long captured = day.gross() - day.refunds();
    long expected =
        plan.reserveHoldDays() > 0 && captured > 0
            ? halfUp(captured, plan.reserveBasisPoints())
            : 0;

    assertThat(plan.settle(day).reserveHeld()).isEqualTo(expected);
  }

  @RepeatedTest(1000)
  void percentage_isWithinHalfAUnitOfTheExactValue(@Given(Days.class) MerchantDay day) {
    long amount = day.gross();
    for (int bps : new int[] {0, 1, 29, 290, 9_999, 10_000}) {
      BigDecimal exact = BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(bps, 4));
      BigDecimal error = BigDecimal.valueOf(FeePlan.percentage(amount, bps)).subtract(exact);

      assertThat(error.abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
    }
  }

  @Test
  void percentage_roundsHalfUp() {
    assertThat(FeePlan.percentage(5_000, 1)).isEqualTo(1); // 0.5 -> 1
    assertThat(FeePlan.percentage(4_999, 1)).isZero(); // 0.4999 -> 0
    assertThat(FeePlan.percentage(15_000, 1)).isEqualTo(2); // 1.5 -> 2
    assertThat(FeePlan.percentage(10_000, 10_000)).isEqualTo(10_000);
    assertThat(FeePlan.percentage(123_456, 0)).isZero();
  }

  @Test
  void theDocumentedExample() {
    MerchantFigures day =
        new FeePlan(290, 30, false, 1000, 90).settle(new MerchantDay(2, 0, 10_000, 0, 0));

    assertThat(day.fees()).isEqualTo(350);
    assertThat(day.reserveHeld()).isEqualTo(1000);
    assertThat(day.net()).isEqualTo(8650);
  }

  @Test
  void aDayOfRefundsOnly_hasANegativeNet_andGivesBackThePercentage() {
    MerchantFigures day =
        new FeePlan(290, 30, true, 1000, 90).settle(new MerchantDay(0, 1, 0, 10_000, 0));

    assertThat(day.fees()).isEqualTo(-290);
    assertThat(day.reserveHeld()).isZero();
    assertThat(day.net()).isEqualTo(-10_000 + 290);
  }

  private static long halfUp(long amount, int bps) {
    return BigDecimal.valueOf(amount)
        .multiply(BigDecimal.valueOf(bps))
        .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }
}
