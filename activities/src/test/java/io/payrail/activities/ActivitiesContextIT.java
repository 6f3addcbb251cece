package io.payrail.activities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.payrail.activities.bank.BankActivitiesImpl;
import io.payrail.activities.events.OutboxRelay;
import io.payrail.activities.fraud.FraudRulesProperties;
import io.payrail.activities.fraud.RuleBasedFraudActivities;
import io.payrail.activities.notification.NotificationActivitiesImpl;
import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.devservers.PostgresDevServer;
import io.payrail.platform.card.CardVaultConfiguration;
import io.payrail.platform.vault.VaultConfiguration;
import io.payrail.workflows.common.Money;
import io.payrail.workflows.common.TaskQueues;
import io.payrail.workflows.payment.PaymentRecordActivities;
import io.temporal.common.metadata.POJOActivityImplMetadata;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This module's components as the workers application builds them (it component-scans {@code
 * io.payrail.activities}), with Spring Boot's own auto-configuration against the real servers.
 */
class ActivitiesContextIT {

  /** What the workers application's {@code scanBasePackages} gives. */
  @Configuration(proxyBeanMethods = false)
  @ComponentScan("io.payrail.activities")
  static class WorkersScan {}

  private final ApplicationContextRunner workers =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  JacksonAutoConfiguration.class,
                  DataSourceAutoConfiguration.class,
                  DataSourceTransactionManagerAutoConfiguration.class,
                  JdbcTemplateAutoConfiguration.class,
                  JdbcClientAutoConfiguration.class,
                  KafkaAutoConfiguration.class,
                  MailSenderAutoConfiguration.class,
                  VaultConfiguration.class,
                  CardVaultConfiguration.class))
          .withUserConfiguration(WorkersScan.class)
          .withPropertyValues(
              "spring.datasource.url=" + TestServers.jdbcUrl(),
              "spring.datasource.username=" + PostgresDevServer.APP,
              "spring.datasource.password=" + TestServers.appPassword(),
              "spring.kafka.bootstrap-servers=" + TestServers.kafka(),
              "payrail.vault.uri=" + TestServers.vault().uri(),
              "payrail.vault.token=" + TestServers.vault().applicationToken(),
              "payrail.fraud.max-amount.USD=500000",
              "spring.mail.host=127.0.0.1",
              // the dispatchers need a Temporal client, which this slice does not have
              "payrail.webhooks.dispatcher.enabled=false",
              "payrail.notifications.dispatcher.enabled=false");

  @Test
  void everyActivityImplementation_isABeanTheTemporalStarterCanRegister() {
    workers
        .withPropertyValues("payrail.bank.url=http://127.0.0.1:8090")
        .run(
            context -> {
              List<Class<?>> activities =
                  context.getBeansWithAnnotation(ActivityImpl.class).values().stream()
                      .<Class<?>>map(AopUtils::getTargetClass)
                      .toList();
              assertThat(activities)
                  .containsExactlyInAnyOrder(
                      RuleBasedFraudActivities.class,
                      BankActivitiesImpl.class,
                      PaymentRecordActivitiesImpl.class,
                      io.payrail.activities.refund.RefundRecordActivitiesImpl.class,
                      io.payrail.activities.webhook.WebhookActivitiesImpl.class,
                      NotificationActivitiesImpl.class,
                      io.payrail.activities.reconciliation.ReconciliationActivitiesImpl.class,
                      io.payrail.activities.settlement.payout.PayoutFileActivitiesImpl.class,
                      io.payrail.activities.settlement.payout.BankFileActivitiesImpl.class,
                      io.payrail.activities.settlement.SettlementActivitiesImpl.class,
                      io.payrail.activities.settlement.SettlementBatchActivitiesImpl.class,
                      io.payrail.activities.settlement.RerunActivitiesImpl.class);
              for (Object bean : context.getBeansWithAnnotation(ActivityImpl.class).values()) {
                ActivityImpl annotation =
                    AopUtils.getTargetClass(bean).getAnnotation(ActivityImpl.class);
                assertThat(annotation.taskQueues())
                    .containsAnyOf(
                        TaskQueues.PAYMENTS,
                        TaskQueues.WEBHOOKS,
                        TaskQueues.NOTIFICATIONS,
                        TaskQueues.SETTLEMENT)
                    .hasSize(1);
                // What Worker.registerActivitiesImplementations(bean) inspects.
                assertThat(
                        POJOActivityImplMetadata.newInstance(bean.getClass()).getActivityMethods())
                    .isNotEmpty();
              }
              assertThat(
                      context
                          .getBean(FraudRulesProperties.class)
                          .maxAmountOf(Currency.getInstance("USD")))
                  .isEqualTo(500_000);
            });
  }

  @Test
  void recordedTransition_isPublishedByTheRelay_thatRunsByDefault() {
    TestPayments payments = new TestPayments(TestServers.database());
    TestPayments.Payment payment = payments.payment(payments.merchant(), Money.of(1000, "EUR"));

    workers
        .withPropertyValues("payrail.bank.url=http://127.0.0.1:8090")
        .run(
            context -> {
              assertThat(context.getBean(OutboxRelay.class).isRunning()).isTrue();

              context.getBean(PaymentRecordActivities.class).record(payment.authorized());

              JdbcClient jdbc = context.getBean(JdbcClient.class);
              await()
                  .atMost(Duration.ofSeconds(60))
                  .until(
                      () ->
                          jdbc.sql(
                                  "SELECT published_at IS NOT NULL FROM events WHERE object_id = ?")
                              .param(payment.id())
                              .query(Boolean.class)
                              .single());
            });
  }

  @Test
  void relay_canBeSwitchedOff() {
    workers
        .withPropertyValues(
            "payrail.bank.url=http://127.0.0.1:8090", "payrail.events.relay.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRelay.class));
  }

  @Test
  void withoutTheBanksUrl_theApplicationDoesNotStart() {
    workers.run(
        context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("payrail.bank.url"));
  }
}
