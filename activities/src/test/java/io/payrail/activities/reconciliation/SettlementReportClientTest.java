package io.payrail.activities.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SettlementReportClientTest {

  /**
   * A response body from a bank that sent its headers and then nothing: a read blocks until the
   * stream is closed, then fails, as the HTTP client's body stream does.
   */
  static final class StalledBody extends InputStream {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public int read() throws IOException {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("closed");
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aBodyThatStallsIsCutAtTheDeadline_notReadForEver() {
    assertThatThrownBy(
            () -> SettlementReportClient.readWithin(new StalledBody(), Duration.ofMillis(200)))
        .isInstanceOf(IOException.class);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aBodyReadInTimeIsReturnedWhole() throws IOException {
    byte[] report = "reference,type\nr1,capture\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(
            SettlementReportClient.readWithin(
                new ByteArrayInputStream(report), Duration.ofSeconds(5)))
        .isEqualTo(report);
  }
}
