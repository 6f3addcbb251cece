package io.payrail.activities.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.payrail.activities.TestPayments;
import io.payrail.activities.TestPayments.Payment;
import io.payrail.activities.TestServers;
import io.payrail.activities.ledger.Ledger;
import io.payrail.activities.payment.PaymentRecordActivitiesImpl;
import io.payrail.workflows.common.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The relay between the real PostgreSQL outbox and a real Kafka broker. */
class OutboxRelayIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final JsonMapper json = JsonMapper.builder().build();

  private static JdbcClient jdbc;
  private static JdbcTransactionManager transactions;
  private static PaymentRecordActivitiesImpl records;
  private static TestPayments payments;
  private static String merchant;

  private final Logger relayLogger = (Logger) LoggerFactory.getLogger(OutboxRelay.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private DefaultKafkaProducerFactory<String, String> producers;
  private OutboxRelay relay;

  @BeforeAll
  static void wire() {
    DataSource database = TestServers.database();
    TestServers.kafka();
    jdbc = JdbcClient.create(database);
    transactions = new JdbcTransactionManager(database);
    records =
        new PaymentRecordActivitiesImpl(jdbc, transactions, new Ledger(jdbc, transactions), json);
    payments = new TestPayments(database);
    merchant = payments.merchant();
  }

  @BeforeEach
  void startRelay() {
    // The platform's producer settings, with timeouts short enough for a test of an outage. The
    // relay waits longer than delivery.timeout.ms, as its ack-timeout documentation asks.
    producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                1000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                1500,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                1000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                200));
    relay =
        new OutboxRelay(
            jdbc,
            transactions,
            producers,
            new OutboxRelayProperties(
                true, Duration.ofMillis(50), 200, Duration.ofSeconds(5), Duration.ofMillis(400)));
    relay.start();
  }

  @AfterEach
  void stopRelay() {
    relay.stop();
    producers.destroy();
    relayLogger.detachAppender(log);
    relayLogger.setLevel(null);
  }

  @Test
  void eachEvent_isPublishedOnce_keyedByItsPayment_inOrder_withItsIdInAHeader() {
    Payment captured = payments.payment(merchant, Money.of(1000, "USD"));
    Payment canceled = payments.payment(merchant, Money.of(1000, "USD"));
    records.record(captured.authorized());
    records.record(canceled.authorized());
    records.record(captured.captured(1000));
    records.record(canceled.canceled("requested_by_customer"));
    List<String> capturedEvents = List.of(eventId(captured, 1), eventId(captured, 2));
    List<String> canceledEvents = List.of(eventId(canceled, 1), eventId(canceled, 2));
    awaitPublished(capturedEvents);
    awaitPublished(canceledEvents);
    // Any second publication of those would come from a later poll, so before this one.
    Payment marker = payments.payment(merchant, Money.of(1000, "USD"));
    records.record(marker.authorized());
    awaitPublished(List.of(eventId(marker, 1)));
    relay.stop();

    List<ConsumerRecord<String, String>> published = readTopic();

    assertThat(eventIds(published, captured)).isEqualTo(capturedEvents);
    assertThat(eventIds(published, canceled)).isEqualTo(canceledEvents);
    for (ConsumerRecord<String, String> record : published) {
      if (record.key().equals(captured.id())) {
        assertThat(json.readTree(record.value()).path("id").asString()).isEqualTo(eventId(record));
        assertThat(json.readTree(record.value()).path("data").path("object").path("id").asString())
            .isEqualTo(captured.id());
      }
    }
    assertThat(
            jdbc.sql("SELECT count(*) FROM events WHERE published_at IS NULL")
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void eventWrittenWhileKafkaIsDown_isPublishedWhenItReturns_afterOneWarning() {
    Payment before = payments.payment(merchant, Money.of(1000, "USD"));
    records.record(before.authorized());
    awaitPublished(List.of(eventId(before, 1)));
    captureRelayLog();
    Payment during = payments.payment(merchant, Money.of(1000, "USD"));
    try {
      TestServers.stopKafka();
      records.record(during.authorized());
      await()
          .atMost(PATIENCE)
          .until(() -> messages(log, "cannot publish").size() >= 4); // 1 warning, 3 retries
      assertThat(isPublished(eventId(during, 1))).isFalse();
    } finally {
      TestServers.restartKafka();
    }
    awaitPublished(List.of(eventId(during, 1)));
    relay.stop();

    assertThat(levels(log, "cannot publish"))
        .containsOnlyOnce(Level.WARN)
        .containsOnly(Level.WARN, Level.DEBUG);
    assertThat(messages(log, "publishing events again")).hasSize(1);
    assertThat(eventIds(readTopic(), during)).containsExactly(eventId(during, 1));
  }

  private static String eventId(Payment payment, int sequence) {
    return PaymentRecordActivitiesImpl.eventId(payment.id(), sequence);
  }

  private static String eventId(ConsumerRecord<String, String> record) {
    return new String(record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER).value(), UTF_8);
  }

  /** The ids of the events published about {@code payment}, in the order Kafka holds them. */
  private static List<String> eventIds(
      List<ConsumerRecord<String, String>> published, Payment payment) {
    return published.stream()
        .filter(record -> record.key().equals(payment.id()))
        .map(OutboxRelayIT::eventId)
        .toList();
  }

  private static void awaitPublished(List<String> eventIds) {
    await().atMost(PATIENCE).until(() -> eventIds.stream().allMatch(OutboxRelayIT::isPublished));
  }

  private static boolean isPublished(String eventId) {
    return jdbc.sql("SELECT published_at IS NOT NULL FROM events WHERE id = ?")
        .param(eventId)
        .query(Boolean.class)
        .single();
  }

  /** Everything on the payment events topic, from the beginning to the end offsets of now. */
  private static List<ConsumerRecord<String, String>> readTopic() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestServers.kafka(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TestServers.PAYMENT_EVENTS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      Instant deadline = Instant.now().plus(PATIENCE);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(Instant.now()).as("reading the topic to its end").isBefore(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private void captureRelayLog() {
    relayLogger.setLevel(Level.DEBUG);
    log.start();
    relayLogger.addAppender(log);
  }

  private static List<ILoggingEvent> messages(ListAppender<ILoggingEvent> log, String containing) {
    synchronized (log) {
      return log.list.stream()
          .filter(
              event -> event.getFormattedMessage().toLowerCase(Locale.ROOT).contains(containing))
          .toList();
    }
  }

  private static List<Level> levels(ListAppender<ILoggingEvent> log, String containing) {
    return messages(log, containing).stream().map(ILoggingEvent::getLevel).toList();
  }
}
