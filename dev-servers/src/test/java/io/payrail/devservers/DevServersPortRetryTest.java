package io.payrail.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DevServersPortRetryTest {

  @Test
  void aServerThatLostItsPortRace_isStartedAgain() {
    AtomicInteger attempts = new AtomicInteger();

    String started =
        DevServers.withPortRetries(
            "flaky",
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("Address already in use");
              }
              return "up";
            });

    assertThat(started).isEqualTo("up");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aServerThatNeverStarts_failsAfterThreeAttempts() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                DevServers.withPortRetries(
                    "broken",
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("never");
                    }))
        .hasMessage("never");
    assertThat(attempts).hasValue(3);
  }
}
