package io.payrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CallsTest {

  private static PayrailApi.Answer answer(int status) {
    return new PayrailApi.Answer(status, JsonMapper.builder().build().createObjectNode());
  }

  @Test
  void errors_areFailuresNon2xxAndNull_countedPerOperation_andEveryCallIsTimed() {
    Calls calls = new Calls();
    long now = System.nanoTime();
    assertThat(calls.<PayrailApi.Answer>time("pay", now, () -> answer(201))).isNotNull();
    assertThat(calls.<PayrailApi.Answer>time("pay", now, () -> answer(500))).isNull();
    assertThat(calls.<PayrailApi.Answer>time("pay", now, () -> null)).isNull();
    assertThat(
            calls.<PayrailApi.Answer>time(
                "capture",
                now,
                () -> {
                  throw new IOException("connection reset");
                }))
        .isNull();
    calls.paymentDone();

    Calls.Interval interval = calls.interval();
    assertThat(interval.latencies().get("pay").getTotalCount()).isEqualTo(3);
    assertThat(interval.latencies().get("capture").getTotalCount()).isEqualTo(1);
    assertThat(interval.errors()).containsEntry("pay", 2L).containsEntry("capture", 1L);
    assertThat(interval.payments()).isEqualTo(1);
  }

  @Test
  void anInterval_startsAfreshButTheTotalKeepsEveryPayment() {
    Calls calls = new Calls();
    calls.time("pay", System.nanoTime(), () -> answer(200));
    calls.paymentDone();
    calls.interval(); // the warm-up, thrown away
    calls.time("pay", System.nanoTime(), () -> answer(200));
    calls.paymentDone();

    Calls.Interval measured = calls.interval();
    assertThat(measured.latencies().get("pay").getTotalCount()).isEqualTo(1);
    assertThat(measured.payments()).isEqualTo(1);
    assertThat(calls.allPayments()).isEqualTo(2);
  }
}
