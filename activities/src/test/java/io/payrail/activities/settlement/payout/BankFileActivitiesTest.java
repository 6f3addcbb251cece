package io.payrail.activities.settlement.payout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.payrail.activities.bank.BankProperties;
import io.payrail.workflows.settlement.payout.Acknowledgement;
import io.payrail.workflows.settlement.payout.EntryOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acknowledgement read from a bank that answers oddly (a loopback HTTP server playing the
 * bank): an answer Payrail cannot use whole must still be usable, never a failure of every poll.
 */
@Timeout(30)
class BankFileActivitiesTest {

  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/payout_files/bf_1",
        exchange -> {
          byte[] body =
              """
              {"id":"bf_1","status":"accepted","entries":[
                {"reference":"011000010000001","status":"paid","return_code":null},
                {"reference":"011000010000002","status":"returned"},
                {"reference":"011000010000003","status":"returned","return_code":"R03"}]}
              """
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aReturnedEntryWithoutACode_isReturnedWithUnknown_notARefusedAnswer() {
    BankFileActivitiesImpl bank =
        new BankFileActivitiesImpl(
            new BankProperties(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5)),
            new PayoutFileProperties(Path.of("unused-outbox"), null, null, null),
            null,
            null);

    Acknowledgement answer = bank.awaitFileAcknowledgement("bf_1");

    assertThat(answer.accepted()).isTrue();
    assertThat(answer.entries())
        .containsExactly(
            EntryOutcome.paid("011000010000001"),
            EntryOutcome.returned("011000010000002", "UNKNOWN"),
            EntryOutcome.returned("011000010000003", "R03"));
  }
}
