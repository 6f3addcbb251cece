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
import io.payrail.workflows.settlement.payout.Transmission;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    PayoutFileProperties properties = new PayoutFileProperties(outboxDir, null, null);
    files =
        new PayoutFileActivitiesImpl(jdbc, transactions, ledger, vault, properties, "payrail-test");
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
        .isEqualTo("acknowledged");
    assertThat(files.recordFileAcknowledgement(file.fileId(), acknowledgement))
        .as("recorded twice, posted once")
        .isEqualTo("acknowledged");
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
    payout(run, "ach", 5_000, "021000021", "12345");
    GeneratedFile file = files.generateFile(request(run, "ach", "USD"));
    Path path = outboxDir.resolve(file.fileName());
    Files.writeString(path, Files.readString(path).replace("0000005000", "0000005001"));

    var validation = files.validateFile(file.fileId());

    assertThat(validation.valid()).isFalse();
    assertThat(validation.problem()).startsWith("SHA-256 ");
    assertThat(fileStatus(file.fileId())).isEqualTo("rejected");
    assertThat(files.validateFile(file.fileId()).valid()).as("the verdict stands").isFalse();
  }

  @Test
  void aPayoutOverTheNachaAmountField_isRefused_withoutAFile() {
    long run = run("USD");
    String tooLarge = payout(run, "ach", 10_000_000_000L, "021000021", "12345");

    assertThatThrownBy(() -> files.generateFile(request(run, "ach", "USD")))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(tooLarge)
        .hasMessageContaining("10 digits")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(PayoutFileActivities.UNREPRESENTABLE));
    assertThat(
            jdbc.sql("SELECT count(*) FROM payout_files WHERE run_id = ?")
                .param(run)
                .query(Integer.class)
                .single())
        .isZero();
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
                "Merchant " + merchant,
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
