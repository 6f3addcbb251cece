package io.payrail.activities.bank;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.activities.TestPayments;
import io.payrail.activities.TestServers;
import io.payrail.banksim.BankSimulator;
import io.payrail.banksim.Faults;
import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.platform.card.CardToTokenize;
import io.payrail.platform.card.CardVault;
import io.payrail.platform.vault.VaultConfiguration;
import io.payrail.platform.vault.VaultProperties;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.payment.BankActivities;
import io.payrail.workflows.payment.BankResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The real authorize activity, with the card vault on a real OpenBao and the bank simulator, run by
 * Temporal's test server: while Vault is frozen the activity fails as a transient error, Temporal
 * retries it, and it authorizes once Vault is back. Nothing falls back to plaintext meanwhile.
 */
class VaultOutageRetryIT {

  private static final String QUEUE = "vault-outage";

  /** One authorization, with the retry policy's shape the payment workflow uses. */
  @WorkflowInterface
  public interface AuthorizeWorkflow {
    @WorkflowMethod
    BankResult authorize(String requestId, String cardToken);
  }

  public static class AuthorizeWorkflowImpl implements AuthorizeWorkflow {
    private final BankActivities bank =
        Workflow.newActivityStub(
            BankActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(200))
                        .setBackoffCoefficient(1.0)
                        .setMaximumAttempts(100)
                        .build())
                .build());

    @Override
    public BankResult authorize(String requestId, String cardToken) {
      return bank.authorize(requestId, Money.of(1000, "USD"), cardToken);
    }
  }

  private TestWorkflowEnvironment env;
  private BankSimulator bankSimulator;
  private CardVault vault;
  private int attempts;

  @BeforeEach
  void start() {
    OpenBaoDevServer openBao = TestServers.vault();
    vault =
        new CardVault(
            JdbcClient.create(TestServers.database()),
            new VaultConfiguration()
                .vaultTemplate(
                    new VaultProperties(
                        URI.create(openBao.uri()),
                        VaultProperties.Authentication.TOKEN,
                        openBao.applicationToken(),
                        null,
                        null,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1))));
    bankSimulator = BankSimulator.start(0, Faults.NONE);
    BankActivitiesImpl bank =
        new BankActivitiesImpl(
            new BankProperties(
                URI.create(bankSimulator.baseUrl()), Duration.ofSeconds(1), Duration.ofSeconds(2)),
            vault);
    // Real time: the activity really waits on Vault, and its retries really wait between attempts.
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(AuthorizeWorkflowImpl.class);
    worker.registerActivitiesImplementations(countingAttempts(bank));
    env.start();
  }

  @AfterEach
  void stop() {
    TestServers.vault().resume();
    env.close();
    bankSimulator.close();
  }

  @Test
  void authorize_whileVaultIsFrozen_isRetried_andApprovedOnceVaultIsBack() throws Exception {
    String merchant = new TestPayments(TestServers.database()).merchant();
    String token =
        vault
            .tokenize(
                merchant, new CardToTokenize("4242424242424242", "VISA", 12, 2030, "123", null))
            .token();
    AuthorizeWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                AuthorizeWorkflow.class,
                io.temporal.client.WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());

    TestServers.vault().pause();
    var result =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> workflow.authorize("pay_vault:authorize", token),
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    awaitAttempts(2);
    TestServers.vault().resume();

    assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS).wasAccepted()).isTrue();
    assertThat(attempts).isGreaterThanOrEqualTo(2);
  }

  private synchronized void awaitAttempts(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (attempts < count && System.nanoTime() < deadline) {
      wait(100);
    }
    assertThat(attempts).as("attempts while Vault was frozen").isGreaterThanOrEqualTo(count);
  }

  private synchronized void attempted() {
    attempts++;
    notifyAll();
  }

  /** The real activity, counting how often Temporal ran it. */
  private BankActivities countingAttempts(BankActivitiesImpl bank) {
    return (BankActivities)
        java.lang.reflect.Proxy.newProxyInstance(
            BankActivities.class.getClassLoader(),
            new Class<?>[] {BankActivities.class},
            (proxy, method, args) -> {
              if (method.getName().equals("authorize")) {
                attempted();
              }
              try {
                return method.invoke(bank, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
