package io.payrail.activities.settlement.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.activities.bank.BankProperties;
import io.payrail.activities.ledger.Ledger;
import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.vault.VaultConfiguration;
import io.payrail.platform.vault.VaultProperties;
import io.payrail.workflows.settlement.Approval;
import io.payrail.workflows.settlement.payout.Acknowledgement;
import io.payrail.workflows.settlement.payout.BankFileActivities;
import io.payrail.workflows.settlement.payout.EntryOutcome;
import io.payrail.workflows.settlement.payout.FileRequest;
import io.payrail.workflows.settlement.payout.GeneratedFile;
import io.payrail.workflows.settlement.payout.PayoutFileActivities;
import io.payrail.workflows.settlement.payout.RecordedAcknowledgement;
import io.payrail.workflows.settlement.payout.Transmission;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * A run's payouts rows become a real file of each rail, validated, approved, uploaded to the real
 * bank simulator, acknowledged, and recorded paid or failed with the ledger entries, against the
 * real PostgreSQL and OpenBao.
 */
class PayoutFilesIT {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger DAYS = new AtomicInteger();

  @TempDir Path outboxDir;

  private JdbcClient jdbc;
  private CardVault vault;
  private Ledger ledger;
  private BankSimulator bank;
  private PayoutFileActivities files;
  private BankFileActivities bankFiles;
  private TestPayments merchants;
  private JdbcTransactionManager transactions;

  @BeforeEach
  void start() throws Exception {
    DataSource database = TestServers.database();
    jdbc = JdbcClient.create(database);
    JdbcTransactionManager transactions = new JdbcTransactionManager(database);
    OpenBaoDevServer openBao = TestServers.vault();
    vault =
        new CardVault(
            jdbc,
            new VaultConfiguration()
                .vaultTemplate(
                    new VaultProperties(
                        URI.create(openBao.uri()),
                        VaultProperties.Authentication.TOKEN,
                        openBao.applicationToken(),
                        null,
                        null,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2))));
    ledger = new Ledger(jdbc, transactions);
    bank = BankSimulator.start(0, Faults.NONE);
    faults("{\"file_ack_delay_ms\":0}");
    PayoutFileProperties properties = new PayoutFileProperties(outboxDir, null, null, null);
    files =
        new PayoutFileActivitiesImpl(jdbc, transactions, ledger, vault, properties, "payrail-test");
    this.transactions = transactions;
    bankFiles =
        new BankFileActivitiesImpl(
            new BankProperties(
                URI.create(bank.baseUrl()), Duration.ofSeconds(1), Duration.ofSeconds(5)),
            properties,
            jdbc,
            transactions);
    merchants = new TestPayments(database);
  }

  @AfterEach
  void stop() {
    bank.close();
  }

  @Test
  void achFile_fromPayoutsRows_toPaidAndReturned_withTheLedgerEntries() throws Exception {
    long run = run("USD");
    String paid = payout(run, "ach", 125_000, "021000021", "000123456789");
    String insufficient = payout(run, "ach", 30_000, "011000015", "4440001");
    String noAccount = payout(run, "ach", 4_501, "091000019", "98760003");

    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    GeneratedFile again = files.generateFile(request(run, "ach", "USD"));

    assertThat(again).isEqualTo(file);
    assertThat(file.entryCount()).isEqualTo(3);
    assertThat(file.totalAmount()).isEqualTo(159_501);
    byte[] bytes = Files.readAllBytes(outboxDir.resolve(file.fileName()));
    assertThat(Outbox.sha256(bytes)).isEqualTo(file.sha256());
    assertThat(new String(bytes).lines()).hasSize(10).allMatch(line -> line.length() == 94);
    // 02100002 + 01100001 + 09100001
    assertThat(file.control()).isEqualTo("0012300004");
    assertThat(
            jdbc.sql("SELECT control->>'entry_hash' FROM payout_files WHERE id = ?")
                .param(file.fileId())
                .query(String.class)
                .single())
        .isEqualTo("0012300004");

    Acknowledgement acknowledgement = sendAndAcknowledge(file);

    assertThat(acknowledgement.entries()).hasSize(3);
    assertThat(files.recordFileAcknowledgement(file.fileId(), acknowledgement))
        .isEqualTo(new RecordedAcknowledgement("acknowledged", 0, 0));
    assertThat(files.recordFileAcknowledgement(file.fileId(), acknowledgement))
        .as("recorded twice, posted once")
        .isEqualTo(new RecordedAcknowledgement("acknowledged", 0, 0));
    assertThat(payoutStatus(paid)).isEqualTo("paid ");
    assertThat(payoutStatus(insufficient)).isEqualTo("failed R01");
    assertThat(payoutStatus(noAccount)).isEqualTo("failed R03");
    assertThat(entries("payout_paid:" + paid)).isEqualTo(1);
    assertThat(entries("payout_return:" + insufficient)).isEqualTo(1);
    assertThat(entries("payout_return:" + noAccount)).isEqualTo(1);
    assertThat(entries("payout_paid:" + insufficient)).isZero();
    // The returned amounts are owed to their merchants again (credit balance); what was paid left.
    assertThat(balance("merchant_available", merchantOf(insufficient), "USD")).isEqualTo(-30_000);
    assertThat(balance("merchant_available", merchantOf(paid), "USD")).isZero();
    assertThat(fileStatus(file.fileId())).isEqualTo("acknowledged");
  }

  @Test
  void sepaFile_fromPayoutsRows_toPaidAndReturned_andTheApprovalIsAudited() throws Exception {
    long run = run("EUR");
    String paid = payout(run, "sepa", 99_999, "BNPAFRPPXXX", "FR1420041010050500013M02606");
    String returned = payout(run, "sepa", 1_000, "INGDDEFFXXX", "DE02120300000000200001");

    GeneratedFile file = files.generateFile(request(run, "sepa", "EUR"));

    assertThat(file.control()).isEqualTo(file.fileId());
    String xml = Files.readString(outboxDir.resolve(file.fileName()));
    assertThat(xml).contains("pain.001.001.09").contains(paid).contains("1009.99");
    Acknowledgement acknowledgement = sendAndAcknowledge(file);
    files.recordFileAcknowledgement(file.fileId(), acknowledgement);

    assertThat(payoutStatus(paid)).isEqualTo("paid ");
    assertThat(payoutStatus(returned)).isEqualTo("failed AM04");
    assertThat(balance("merchant_available", merchantOf(returned), "EUR")).isEqualTo(-1_000);
    Map<String, Object> audit =
        jdbc.sql(
                """
                SELECT actor_kind, actor_id, actor_role, changes::text AS changes FROM audit_log
                WHERE action = 'payout_file.approved' AND target_id = ?
                """)
            .param(file.fileId())
            .query()
            .singleRow();
    assertThat(audit)
        .containsEntry("actor_kind", "staff")
        .containsEntry("actor_id", "finance-checker")
        .containsEntry("actor_role", "finance");
    assertThat((String) audit.get("changes")).contains("\"total_amount\":100999");
  }

  @Test
  void underTheNeverFault_theAcknowledgementActivityKeepsFailingRetryably_untilTheBankAnswers()
      throws Exception {
    long run = run("USD");
    String payout = payout(run, "ach", 7_700, "021000021", "600700");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
    files.recordFileApproval(file.fileId(), new Approval("finance-checker", null));
    faults("{\"file_ack\":\"never\"}");
    Transmission sent = bankFiles.transmitFile(file.fileId());

    assertThatThrownBy(() -> bankFiles.awaitFileAcknowledgement(sent.bankFileId()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BankFileActivities.NOT_YET_ACKNOWLEDGED);
              assertThat(failure.isNonRetryable()).isFalse();
            });
    assertThat(payoutStatus(payout)).isEqualTo("in_transit ");

    faults("{\"file_ack\":\"normal\"}");
    files.recordFileAcknowledgement(
        file.fileId(), bankFiles.awaitFileAcknowledgement(sent.bankFileId()));
    assertThat(payoutStatus(payout)).isEqualTo("paid ");
  }

  @Test
  void aCorruptedOutboxFile_failsValidation_namingTheHash() throws Exception {
    long run = run("USD");
    String payout = payout(run, "ach", 5_000, "021000021", "12345");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    Path path = outboxDir.resolve(file.fileName());
    Files.writeString(path, Files.readString(path).replace("0000005000", "0000005001"));

    var validation = files.validateFile(file.fileId());

    assertThat(validation.valid()).isFalse();
    assertThat(validation.problem()).startsWith("SHA-256 ");
    assertThat(fileStatus(file.fileId())).isEqualTo("rejected");
    assertThat(files.validateFile(file.fileId()).valid()).as("the verdict stands").isFalse();
    // Never sent: the payout is failed and its money back in the merchant's balance, once.
    assertThat(payoutStatus(payout)).isEqualTo("failed INVALID");
    assertThat(failureMessage(payout)).contains("failed validation").contains("SHA-256");
    assertThat(entries("payout_return:" + payout)).isEqualTo(1);
    assertThat(balance("merchant_available", merchantOf(payout), "USD")).isEqualTo(-5_000);
  }

  @Test
  void payoutsTheFormatCannotCarry_areFailedAndReturned_andTheFileGoesWithoutThem() {
    long run = run("USD");
    String tooLarge = payout(run, "ach", 10_000_000_000L, "021000021", "12345");
    String noAsciiName = payout(run, "ach", 2_000, "021000021", "12346", "山田商店");
    String fine = payout(run, "ach", 3_000, "021000021", "12347");

    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));

    assertThat(file.entryCount()).isEqualTo(1);
    assertThat(file.totalAmount()).isEqualTo(3_000);
    assertThat(file.failedCount()).isEqualTo(2);
    assertThat(payoutStatus(tooLarge)).isEqualTo("failed FORMAT");
    assertThat(failureMessage(tooLarge)).contains(tooLarge).contains("10 digits");
    assertThat(payoutStatus(noAsciiName)).isEqualTo("failed FORMAT");
    assertThat(failureMessage(noAsciiName)).contains("ASCII").doesNotContain("12346");
    assertThat(payoutStatus(fine)).isEqualTo("pending ");
    // Back in the merchant's available balance (a credit), for the next payout to carry.
    assertThat(entries("payout_return:" + tooLarge)).isEqualTo(1);
    assertThat(balance("merchant_available", merchantOf(tooLarge), "USD"))
        .isEqualTo(-10_000_000_000L);
    assertThat(balance("merchant_available", merchantOf(noAsciiName), "USD")).isEqualTo(-2_000);
    assertThat(files.generateFile(request(run, "ach", "USD")).fileId())
        .as("a retry returns the same file")
        .isEqualTo(file.fileId());
    assertThat(entries("payout_return:" + tooLarge)).isEqualTo(1);
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
  }

  @Test
  void payoutsBeyondTheFilesEntryLimit_areCapped_failedAndReturned() {
    files =
        new PayoutFileActivitiesImpl(
            jdbc,
            transactions,
            ledger,
            vault,
            new PayoutFileProperties(outboxDir, null, null, 2),
            "payrail-test");
    long run = run("EUR");
    List<String> payouts =
        new java.util.ArrayList<>(
            List.of(
                payout(run, "sepa", 1_000, "BNPAFRPPXXX", "FR1420041010050500013M02606"),
                payout(run, "sepa", 2_000, "BNPAFRPPXXX", "FR1420041010050500013M02606"),
                payout(run, "sepa", 3_000, "BNPAFRPPXXX", "FR1420041010050500013M02606")));
    java.util.Collections.sort(payouts);

    GeneratedFile file = files.generateFile(request(run, "sepa", "EUR"));

    assertThat(file.entryCount()).isEqualTo(2);
    assertThat(file.failedCount()).isEqualTo(1);
    assertThat(payoutStatus(payouts.get(2))).isEqualTo("failed CAPPED");
    assertThat(balance("merchant_available", merchantOf(payouts.get(2)), "EUR"))
        .isEqualTo(-amountOf(payouts.get(2)));
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
  }

  @Test
  void aFileTheBankRejects_failsEveryPayout_returnsTheMoney_andRecordsTheReason() throws Exception {
    long run = run("USD");
    String first = payout(run, "ach", 4_000, "021000021", "700100");
    String second = payout(run, "ach", 6_000, "011000015", "700200");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    faults("{\"file_ack\":\"reject\"}");
    Acknowledgement rejected = transmitAndAsk(file);
    assertThat(rejected.accepted()).isFalse();

    RecordedAcknowledgement recorded = files.recordFileAcknowledgement(file.fileId(), rejected);

    assertThat(recorded).isEqualTo(new RecordedAcknowledgement("rejected", 0, 0));
    assertThat(payoutStatus(first)).isEqualTo("failed REJECTED");
    assertThat(payoutStatus(second)).isEqualTo("failed REJECTED");
    assertThat(failureMessage(first)).contains("the bank rejected payout file");
    assertThat(balance("merchant_available", merchantOf(second), "USD")).isEqualTo(-6_000);
    assertThat(control(file.fileId(), "rejection")).contains("rejected by the bank");
    assertThat(files.recordFileAcknowledgement(file.fileId(), rejected))
        .isEqualTo(new RecordedAcknowledgement("rejected", 0, 0));
    assertThat(entries("payout_return:" + first)).isEqualTo(1);
  }

  @Test
  void anUploadTheBankRefuses_isNonRetryable_andFailingTheFileReturnsItsPayouts() throws Exception {
    long run = run("USD");
    String payout = payout(run, "ach", 8_800, "021000021", "700300");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
    files.recordFileApproval(file.fileId(), new Approval("finance-checker", null));
    faults("{\"file_upload\":\"refuse\"}");

    assertThatThrownBy(() -> bankFiles.transmitFile(file.fileId()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(BankFileActivities.REFUSED);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage()).contains("422").contains("file_refused");
            });
    assertThat(payoutStatus(payout)).isEqualTo("pending ");

    files.failFile(file.fileId(), PayoutFileActivities.RETURN_REJECTED, "HTTP 422 file_refused");
    files.failFile(file.fileId(), PayoutFileActivities.RETURN_REJECTED, "HTTP 422 file_refused");

    assertThat(fileStatus(file.fileId())).isEqualTo("rejected");
    assertThat(control(file.fileId(), "rejection")).isEqualTo("HTTP 422 file_refused");
    assertThat(payoutStatus(payout)).isEqualTo("failed REJECTED");
    assertThat(entries("payout_return:" + payout)).isEqualTo(1);
    assertThat(balance("merchant_available", merchantOf(payout), "USD")).isEqualTo(-8_800);
  }

  @Test
  void aPartialAcknowledgement_leavesTheFileTransmitted_untilTheBankAnswersForTheRest()
      throws Exception {
    long run = run("USD");
    List<String> payouts =
        new java.util.ArrayList<>(
            List.of(
                payout(run, "ach", 1_100, "021000021", "700400"),
                payout(run, "ach", 2_200, "021000021", "700500")));
    java.util.Collections.sort(payouts);
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    faults("{\"file_ack\":\"partial\"}");
    Acknowledgement partial = transmitAndAsk(file);

    RecordedAcknowledgement first = files.recordFileAcknowledgement(file.fileId(), partial);

    assertThat(first).isEqualTo(new RecordedAcknowledgement("transmitted", 1, 0));
    assertThat(first.complete()).isFalse();
    assertThat(payoutStatus(payouts.get(0))).isEqualTo("paid ");
    assertThat(payoutStatus(payouts.get(1))).isEqualTo("in_transit ");
    assertThat(fileStatus(file.fileId())).isEqualTo("transmitted");

    faults("{\"file_ack\":\"normal\"}");
    Acknowledgement rest = bankFiles.awaitFileAcknowledgement(bankFileId(file));
    assertThat(files.recordFileAcknowledgement(file.fileId(), rest))
        .isEqualTo(new RecordedAcknowledgement("acknowledged", 0, 0));
    assertThat(payoutStatus(payouts.get(1))).isEqualTo("paid ");
    assertThat(entries("payout_paid:" + payouts.get(0))).isEqualTo(1);
  }

  @Test
  void anAnswerLineWithAnUnknownReference_isAlertedAndIgnored_notAFailure() throws Exception {
    long run = run("USD");
    String payout = payout(run, "ach", 5_500, "021000021", "700600");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    faults("{\"file_ack\":\"unknown_reference\"}");
    Acknowledgement answer = transmitAndAsk(file);
    assertThat(answer.entries()).hasSize(2);

    assertThat(files.recordFileAcknowledgement(file.fileId(), answer))
        .isEqualTo(new RecordedAcknowledgement("acknowledged", 0, 1));
    assertThat(payoutStatus(payout)).isEqualTo("paid ");
  }

  /**
   * The daily run's payout creation locks merchant_available accounts (merchant order) and then
   * payouts_in_transit. Here a transaction does the same to the second merchant of a file while the
   * file's returns are recorded: recorded one transaction per payout, merchant account first, the
   * two wait for each other at most one way and both finish. Recorded in one transaction that took
   * payouts_in_transit with the first return, they deadlocked (PostgreSQL aborts one).
   */
  @Test
  @Timeout(60)
  void recordingReturns_whileThePayoutCreationLocksAMerchant_doesNotDeadlock() throws Exception {
    long run = run("USD");
    List<String> payouts =
        new java.util.ArrayList<>(
            List.of(
                payout(run, "ach", 1_000, "021000021", "800001"),
                payout(run, "ach", 2_000, "021000021", "800002")));
    java.util.Collections.sort(payouts);
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    Acknowledgement answer = transmitAndAsk(file);
    String secondMerchant = merchantOf(payouts.get(1));
    DataSource database = TestServers.database();
    try (Connection creation = database.getConnection()) {
      creation.setAutoCommit(false);
      int creationPid = pid(creation);
      try (Statement statement = creation.createStatement()) {
        statement.execute("SET LOCAL lock_timeout = '20s'");
        statement.executeQuery(
            "SELECT id FROM ledger_accounts WHERE code = 'merchant_available' AND merchant_id = '"
                + secondMerchant
                + "' AND currency = 'USD' FOR UPDATE");
      }
      ExecutorService recorder = Executors.newSingleThreadExecutor();
      try {
        Future<RecordedAcknowledgement> recorded =
            recorder.submit(() -> files.recordFileAcknowledgement(file.fileId(), answer));
        awaitABackendWaitingForALock(creationPid);
        try (Statement statement = creation.createStatement()) {
          statement.executeUpdate(
              "UPDATE ledger_accounts SET balance = balance"
                  + " WHERE code = 'payouts_in_transit' AND currency = 'USD'");
        }
        creation.commit();
        assertThat(recorded.get(30, TimeUnit.SECONDS))
            .isEqualTo(new RecordedAcknowledgement("acknowledged", 0, 0));
      } finally {
        recorder.shutdownNow();
      }
    }
    assertThat(payoutStatus(payouts.get(0))).startsWith("failed R0");
    assertThat(payoutStatus(payouts.get(1))).startsWith("failed R0");
  }

  private void awaitABackendWaitingForALock(int except) throws InterruptedException {
    long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (jdbc.sql(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ?
                """)
            .param(except)
            .query(Integer.class)
            .single()
        == 0) {
      assertThat(System.nanoTime())
          .as("the recording waits for the locked account")
          .isLessThan(giveUp);
      Thread.sleep(20);
    }
  }

  private static int pid(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
      result.next();
      return result.getInt(1);
    }
  }

  private Acknowledgement transmitAndAsk(GeneratedFile file) {
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
    files.recordFileApproval(file.fileId(), new Approval("finance-checker", null));
    Transmission sent = bankFiles.transmitFile(file.fileId());
    return bankFiles.awaitFileAcknowledgement(sent.bankFileId());
  }

  private String bankFileId(GeneratedFile file) {
    return jdbc.sql("SELECT bank_file_id FROM payout_files WHERE id = ?")
        .param(file.fileId())
        .query(String.class)
        .single();
  }

  private String control(String fileId, String key) {
    return jdbc.sql("SELECT control->>? FROM payout_files WHERE id = ?")
        .params(key, fileId)
        .query(String.class)
        .single();
  }

  private String failureMessage(String payoutId) {
    return jdbc.sql("SELECT failure_message FROM payouts WHERE id = ?")
        .param(payoutId)
        .query(String.class)
        .single();
  }

  private long amountOf(String payoutId) {
    return jdbc.sql("SELECT amount FROM payouts WHERE id = ?")
        .param(payoutId)
        .query(Long.class)
        .single();
  }

  private void faults(String body) throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(bank.baseUrl() + "/sim/faults"))
                    .timeout(Duration.ofSeconds(5))
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  private Acknowledgement sendAndAcknowledge(GeneratedFile file) {
    assertThat(files.validateFile(file.fileId()).valid()).isTrue();
    files.recordFileApproval(file.fileId(), new Approval("finance-checker", "totals checked"));
    files.recordFileApproval(file.fileId(), new Approval("finance-checker", "totals checked"));
    Transmission sent = bankFiles.transmitFile(file.fileId());
    assertThat(bankFiles.transmitFile(file.fileId())).isEqualTo(sent);
    assertThat(fileStatus(file.fileId())).isEqualTo("transmitted");
    assertThat(
            jdbc.sql("SELECT DISTINCT status FROM payouts WHERE payout_file_id = ?")
                .param(file.fileId())
                .query(String.class)
                .list())
        .containsExactly("in_transit");
    Acknowledgement acknowledgement = bankFiles.awaitFileAcknowledgement(sent.bankFileId());
    assertThat(acknowledgement.accepted()).isTrue();
    assertThat(acknowledgement.entries())
        .extracting(EntryOutcome::reference)
        .doesNotHaveDuplicates();
    return acknowledgement;
  }

  private FileRequest request(long run, String rail, String currency) {
    String date =
        jdbc.sql("SELECT business_date::text FROM settlement_runs WHERE id = ?")
            .param(run)
            .query(String.class)
            .single();
    return new FileRequest("pf_" + random(24), run, rail, currency, date, 1_795_000_000_000L + run);
  }

  private long run(String currency) {
    LocalDate date = LocalDate.of(2026, 1, 1).plusDays(DAYS.incrementAndGet());
    return jdbc.sql(
            """
            INSERT INTO settlement_runs (currency, business_date, run_number, workflow_id,
                                         window_start, window_end, status)
            VALUES (?, ?, 1, ?, now() - interval '1 day', now(), 'posted')
            RETURNING id
            """)
        .params(currency, date, "settlement-" + currency + "-" + date + "-1")
        .query(Long.class)
        .single();
  }

  /**
   * A merchant with terms on the rail and a pending payout of the run, with the entries the daily
   * run posts before it: {@code availability} (Dr merchant_pending / Cr merchant_available) and
   * {@code payout} (Dr merchant_available / Cr payouts_in_transit).
   */
  private String payout(long run, String rail, long amount, String bankCode, String account) {
    return payout(run, rail, amount, bankCode, account, null);
  }

  private String payout(
      long run, String rail, long amount, String bankCode, String account, String holder) {
    String merchant = merchants.merchant();
    boolean ach = rail.equals("ach");
    String currency = ach ? "USD" : "EUR";
    long terms =
        jdbc.sql(
                """
                INSERT INTO settlement_terms (merchant_id, effective_from, settlement_currency,
                    fee_basis_points, fee_fixed, refund_fee_policy, payout_delay_days,
                    minimum_payout, reserve_basis_points, reserve_hold_days, payout_rail,
                    account_holder, routing_number, bic, account_ciphertext, account_last4,
                    created_by)
                VALUES (?, DATE '2026-01-01', ?, 290, 30, 'none', 0, 0, 0, 0, ?, ?, ?, ?, ?, ?,
                        'admin')
                RETURNING id
                """)
            .params(
                merchant,
                currency,
                rail,
                holder == null ? "Merchant " + merchant : holder,
                ach ? bankCode : null,
                ach ? null : bankCode,
                vault.sealBankAccount(merchant, account),
                account.substring(account.length() - 4))
            .query(Long.class)
            .single();
    String id = "po_" + random(24);
    jdbc.sql(
            """
            INSERT INTO payouts (id, merchant_id, run_id, terms_id, currency, amount, rail, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')
            """)
        .params(id, merchant, run, terms, currency, amount, rail)
        .update();
    ledger.post(
        "available:" + run + ":" + merchant,
        "availability",
        null,
        Currency.getInstance(currency),
        List.of(
            Ledger.Line.debit("merchant_pending", merchant, amount),
            Ledger.Line.credit("merchant_available", merchant, amount)));
    ledger.post(
        "payout:" + id,
        "payout",
        null,
        Currency.getInstance(currency),
        List.of(
            Ledger.Line.debit("merchant_available", merchant, amount),
            Ledger.Line.credit("payouts_in_transit", null, amount)));
    return id;
  }

  private String payoutStatus(String payoutId) {
    return jdbc.sql("SELECT status || ' ' || coalesce(return_code, '') FROM payouts WHERE id = ?")
        .param(payoutId)
        .query(String.class)
        .single();
  }

  private String fileStatus(String fileId) {
    return jdbc.sql("SELECT status FROM payout_files WHERE id = ?")
        .param(fileId)
        .query(String.class)
        .single();
  }

  private String merchantOf(String payoutId) {
    return jdbc.sql("SELECT merchant_id FROM payouts WHERE id = ?")
        .param(payoutId)
        .query(String.class)
        .single();
  }

  private int entries(String idempotencyKey) {
    return jdbc.sql("SELECT count(*) FROM journal_entries WHERE idempotency_key = ?")
        .param(idempotencyKey)
        .query(Integer.class)
        .single();
  }

  private long balance(String code, String merchantId, String currency) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(balance), 0) FROM ledger_accounts
            WHERE code = ? AND merchant_id = ? AND currency = ?
            """)
        .params(code, merchantId, currency)
        .query(Long.class)
        .single();
  }

  private static String random(int length) {
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < length; i++) {
      value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return value.toString();
  }
}
