package io.payrail.activities.settlement.payout;

import io.payrail.activities.bank.BankProperties;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.settlement.payout.Acknowledgement;
import io.payrail.workflows.settlement.payout.BankFileActivities;
import io.payrail.workflows.settlement.payout.EntryOutcome;
import io.payrail.workflows.settlement.payout.Transmission;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payout files at the bank ({@code payrail.bank.url}): {@code POST /v1/payout_files} with the bytes
 * (the bank deduplicates on their SHA-256, so a retried upload is the same file) and {@code GET
 * /v1/payout_files/{id}} for the acknowledgement. Every call has the bank's connect timeout and a
 * request timeout of its own: files are larger than card requests.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.SETTLEMENT)
@EnableConfigurationProperties({BankProperties.class, PayoutFileProperties.class})
public class BankFileActivitiesImpl implements BankFileActivities {

  /** An upload of a large file takes longer than a card request. */
  static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

  private final URI bank;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Outbox outbox;
  private final JsonMapper json = JsonMapper.builder().build();

  public BankFileActivitiesImpl(
      BankProperties bankProperties,
      PayoutFileProperties files,
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager) {
    this.bank = bankProperties.url();
    this.requestTimeout = bankProperties.requestTimeout();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(bankProperties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.outbox = new Outbox(files.outboxDir());
  }

  @Override
  public Transmission transmitFile(String fileId) {
    Map<String, Object> file =
        jdbc.sql("SELECT file_name, sha256, status, bank_file_id FROM payout_files WHERE id = ?")
            .param(fileId)
            .query()
            .singleRow();
    if (file.get("bank_file_id") != null) {
      return new Transmission((String) file.get("bank_file_id"));
    }
    if (!file.get("status").equals("approved")) {
      throw ApplicationFailure.newNonRetryableFailure(
          "payout file " + fileId + " is " + file.get("status") + ", not approved",
          "payout_file_not_approved");
    }
    String fileName = (String) file.get("file_name");
    byte[] bytes =
        outbox
            .read(fileName)
            .orElseThrow(() -> new IllegalStateException(fileName + " is not in the outbox"));
    if (!Outbox.sha256(bytes).equals(file.get("sha256"))) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the outbox bytes of " + fileId + " no longer match the SHA-256 approved", FILE_CHANGED);
    }
    JsonNode answer =
        send(
            HttpRequest.newBuilder(bank.resolve("/v1/payout_files"))
                .timeout(UPLOAD_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .header("X-File-Name", fileName)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
    String bankFileId = answer.path("id").asString("");
    if (bankFileId.isEmpty()) {
      throw new IllegalStateException("the bank answered the upload of " + fileId + " without id");
    }
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql(
                  """
                  UPDATE payout_files SET status = 'transmitted', bank_file_id = ?,
                                          transmitted_at = now(), updated_at = now()
                  WHERE id = ? AND status = 'approved'
                  """)
              .params(bankFileId, fileId)
              .update();
          jdbc.sql(
                  """
                  UPDATE payouts SET status = 'in_transit', updated_at = now()
                  WHERE payout_file_id = ? AND status = 'pending'
                  """)
              .param(fileId)
              .update();
        });
    return new Transmission(bankFileId);
  }

  @Override
  public Acknowledgement awaitFileAcknowledgement(String bankFileId) {
    if (!bankFileId.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("not a bank file id: " + bankFileId);
    }
    JsonNode answer =
        send(
            HttpRequest.newBuilder(bank.resolve("/v1/payout_files/" + bankFileId))
                .timeout(requestTimeout)
                .GET()
                .build());
    String status = answer.path("status").asString("");
    return switch (status) {
      case "accepted" -> Acknowledgement.accepted(entries(answer));
      case "rejected" -> Acknowledgement.rejected(answer.path("reason").asString("rejected"));
      default ->
          throw ApplicationFailure.newFailure(
              "bank file " + bankFileId + " is " + status + ", not yet acknowledged",
              NOT_YET_ACKNOWLEDGED);
    };
  }

  /**
   * The bank's outcomes. A returned entry without a code is kept, returned with {@code UNKNOWN}:
   * refusing the whole answer would fail every poll of it, for ever.
   */
  private static List<EntryOutcome> entries(JsonNode answer) {
    List<EntryOutcome> entries = new ArrayList<>();
    for (JsonNode entry : answer.path("entries")) {
      String reference = entry.path("reference").asString("");
      JsonNode code = entry.path("return_code");
      entries.add(
          entry.path("status").asString("").equals("paid")
              ? EntryOutcome.paid(reference)
              : EntryOutcome.returned(
                  reference,
                  code.isString() && !code.asString().isBlank()
                      ? code.asString()
                      : PayoutFileActivitiesImpl.UNKNOWN_RETURN_CODE));
    }
    return entries;
  }

  /**
   * The answer's JSON. A 4xx is Payrail's mistake and is not retried; anything else that is not a
   * 2xx (5xx, timeout, connection refused) is transient and is.
   */
  private JsonNode send(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("the bank did not answer " + request.uri().getPath(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    int code = response.statusCode();
    if (code >= 400 && code < 500 && code != 404 && code != 429) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the bank refused " + request.uri().getPath() + ": HTTP " + code + refusal(response),
          REFUSED);
    }
    if (code / 100 != 2) {
      throw new IllegalStateException(
          "the bank answered " + request.uri().getPath() + " with HTTP " + code);
    }
    return json.readTree(response.body());
  }

  /** The bank's error code and message, to record why it refused; never the file's content. */
  private String refusal(HttpResponse<byte[]> response) {
    try {
      JsonNode error = json.readTree(response.body()).path("error");
      String text =
          (error.path("code").asString("") + " " + error.path("message").asString("")).strip();
      return text.isEmpty() ? "" : " (" + text + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }
}
