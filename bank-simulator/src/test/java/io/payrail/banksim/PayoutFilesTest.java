package io.payrail.banksim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The payout file desk over real HTTP on loopback: uploads, deduplication, acknowledgements. */
class PayoutFilesTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private BankSimulator bank;

  @BeforeEach
  void start() throws Exception {
    bank = BankSimulator.start(0, new Faults(0, 0, 0, 0, 1_000, 2_000));
    put("{\"file_ack_delay_ms\":0}");
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void achFile_isReceivedOnce_thenAcknowledged_withReturnsDecidedByTheTestAccounts()
      throws Exception {
    byte[] file = nacha("123456789", "555550001", "555550003", "555550002");

    Response first = upload("USD-2026-11-24-pf_1.ach", file);
    Response again = upload("USD-2026-11-24-pf_1.ach", file);

    assertThat(first.status).isEqualTo(201);
    assertThat(first.body.path("format").asString()).isEqualTo("nacha");
    assertThat(again.body.path("id").asString()).isEqualTo(first.body.path("id").asString());
    Response ack = get("/v1/payout_files/" + first.body.path("id").asString());
    assertThat(ack.body.path("status").asString()).isEqualTo("accepted");
    List<String> outcomes = new ArrayList<>();
    ack.body
        .path("entries")
        .forEach(
            entry ->
                outcomes.add(
                    entry.path("reference").asString()
                        + " "
                        + entry.path("status").asString()
                        + " "
                        + entry.path("return_code").asString("")));
    assertThat(outcomes)
        .containsExactly(
            "011000010000001 paid ",
            "011000010000002 returned R01",
            "011000010000003 returned R03",
            "011000010000004 returned R02");
    assertThat(ack.body.toString()).doesNotContain("55555000");
  }

  @Test
  void sepaFile_isAcknowledged_withSepaReturnCodes() throws Exception {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
        <PmtInf>%s%s</PmtInf></CstmrCdtTrfInitn></Document>
        """
            .formatted(
                transfer("po_a", "10.00", "FR7630006000011234567890001"),
                transfer("po_b", "0.01", "DE89370400440532013000"));

    Response upload = upload("EUR-2026-11-24-pf_2.xml", xml.getBytes());
    JsonNode ack = get("/v1/payout_files/" + upload.body.path("id").asString()).body;

    assertThat(ack.path("status").asString()).isEqualTo("accepted");
    assertThat(ack.path("entries").get(0).path("return_code").asString()).isEqualTo("AM04");
    assertThat(ack.path("entries").get(1).path("status").asString()).isEqualTo("paid");
    assertThat(ack.path("entries").get(1).path("amount").asLong()).isEqualTo(1);
  }

  @Test
  void acknowledgement_waitsForTheDelay_andNeverComesUnderTheNeverFault() throws Exception {
    put("{\"file_ack_delay_ms\":600000}");
    Response delayed = upload("a.ach", nacha("123456789"));
    assertThat(
            get("/v1/payout_files/" + delayed.body.path("id").asString())
                .body
                .path("status")
                .asString())
        .isEqualTo("received");

    put("{\"file_ack\":\"never\",\"file_ack_delay_ms\":0}");
    Response never = upload("b.ach", nacha("987654321"));
    assertThat(
            get("/v1/payout_files/" + never.body.path("id").asString())
                .body
                .path("status")
                .asString())
        .isEqualTo("received");

    put("{\"file_ack\":\"normal\"}");
    assertThat(
            get("/v1/payout_files/" + never.body.path("id").asString())
                .body
                .path("status")
                .asString())
        .isEqualTo("accepted");
  }

  @Test
  void bytesThatAreNoFile_areRejected_andBadRequestsAre4xx() throws Exception {
    Response garbage = upload("c.ach", "hello".getBytes());
    assertThat(
            get("/v1/payout_files/" + garbage.body.path("id").asString())
                .body
                .path("status")
                .asString())
        .isEqualTo("rejected");

    Response noName =
        call(
            request("/v1/payout_files")
                .POST(HttpRequest.BodyPublishers.ofByteArray(nacha("123456789"))));
    assertThat(noName.status).isEqualTo(400);
    assertThat(noName.body.path("error").path("code").asString()).isEqualTo("invalid_file_name");
    assertThat(get("/v1/payout_files/bf_999").status).isEqualTo(404);
    assertThat(put("{\"file_ack\":\"sometimes\"}").status).isEqualTo(400);
  }

  @Test
  void rejectFault_rejectsAReadableFileWhole_withAReason() throws Exception {
    Response sent = upload("r.ach", nacha("123456789", "987654321"));
    assertThat(put("{\"file_ack\":\"reject\"}").status).isEqualTo(200);

    Response ack = get("/v1/payout_files/" + sent.body.path("id").asString());

    assertThat(ack.body.path("status").asString()).isEqualTo("rejected");
    assertThat(ack.body.path("reason").asString()).contains("rejected by the bank");
    assertThat(ack.body.has("entries")).isFalse();
  }

  @Test
  void partialFault_answersHalfTheEntries_andNormalAnswersTheRest() throws Exception {
    put("{\"file_ack\":\"partial\"}");
    Response sent = upload("p.ach", nacha("123456789", "987654321", "555550001"));
    String path = "/v1/payout_files/" + sent.body.path("id").asString();

    Response partial = get(path);
    assertThat(partial.body.path("status").asString()).isEqualTo("accepted");
    assertThat(partial.body.path("entries").size()).isEqualTo(1);
    assertThat(partial.body.path("entries").get(0).path("reference").asString())
        .isEqualTo("011000010000001");

    put("{\"file_ack\":\"normal\"}");
    assertThat(get(path).body.path("entries").size()).isEqualTo(3);
  }

  @Test
  void unknownReferenceFault_addsALineThatNamesNoEntry() throws Exception {
    put("{\"file_ack\":\"unknown_reference\"}");
    Response sent = upload("u.ach", nacha("123456789"));

    JsonNode entries =
        get("/v1/payout_files/" + sent.body.path("id").asString()).body.path("entries");

    assertThat(entries.size()).isEqualTo(2);
    assertThat(entries.get(1).path("reference").asString())
        .isEqualTo(PayoutFiles.UNKNOWN_REFERENCE);
  }

  @Test
  void refuseUploadFault_answers422_andKeepsNoFile() throws Exception {
    put("{\"file_upload\":\"refuse\"}");

    Response refused = upload("x.ach", nacha("123456789"));

    assertThat(refused.status).isEqualTo(422);
    assertThat(refused.body.path("error").path("code").asString()).isEqualTo("file_refused");
    assertThat(get("/v1/payout_files/bf_1").status).isEqualTo(404);
    assertThat(put("{\"file_upload\":\"sometimes\"}").status).isEqualTo(400);
    put("{\"file_upload\":\"accept\"}");
    assertThat(upload("x.ach", nacha("123456789")).status).isEqualTo(201);
  }

  /** A minimal NACHA file: one credit entry per account, trace numbers 1, 2, ... */
  static byte[] nacha(String... accounts) {
    List<String> lines = new ArrayList<>();
    lines.add(pad("101 0110000151999999999"));
    lines.add(pad("5220PAYRAIL"));
    for (int i = 0; i < accounts.length; i++) {
      lines.add(
          pad("622021000021" + String.format("%-17s", accounts[i]) + "0000001000").substring(0, 79)
              + "01100001"
              + String.format("%07d", i + 1));
    }
    lines.add(pad("8220"));
    lines.add(pad("9000001"));
    while (lines.size() % 10 != 0) {
      lines.add("9".repeat(94));
    }
    return (String.join("\n", lines) + "\n").getBytes();
  }

  private static String pad(String record) {
    return String.format("%-94s", record);
  }

  private static String transfer(String endToEndId, String amount, String iban) {
    return """
        <CdtTrfTxInf><PmtId><EndToEndId>%s</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">%s</InstdAmt></Amt>
        <CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct></CdtTrfTxInf>
        """
        .formatted(endToEndId, amount, iban);
  }

  private Response upload(String fileName, byte[] bytes) throws Exception {
    return call(
        request("/v1/payout_files")
            .header("X-File-Name", fileName)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  private Response put(String body) throws Exception {
    return call(request("/sim/faults").PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Response get(String path) throws Exception {
    return call(request(path).GET());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(bank.baseUrl() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private Response call(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), json.readTree(response.body()));
  }

  private record Response(int status, JsonNode body) {}
}
