package io.payrail.activities.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the transactional outbox ({@code events}) to Kafka: each event to its topic, keyed by
 * the id of the object it tells of (so one payment's events share a partition), its payload as the
 * value and its id in the {@code event_id} header.
 *
 * <p>One batch is one database transaction: lock up to {@code batch-size} unpublished events,
 * oldest first, skipping those another relay holds; send them all; wait for every acknowledgement;
 * mark them published. If Kafka (or the database) fails, the transaction rolls back and the events
 * stay unpublished: nothing is lost. The relay then logs one warning for the whole outage, not one
 * per poll, backs off up to {@code max-backoff}, and logs once more when it publishes again.
 *
 * <p>Delivery is at least once. A crash between Kafka's acknowledgement and the commit, or a batch
 * that fails after some of its events were acknowledged, publishes those events again with the same
 * id; consumers deduplicate on {@code event_id}. For the same reason a consumer must not assume
 * that one payment's events arrive in sequence order only once: the sequence is in the event id
 * ({@code evt_<payment>_<sequence>}).
 *
 * <p>Runs on a thread of its own, from the application's start to its stop, unless {@code
 * payrail.events.relay.enabled} is false.
 */
@Component
@ConditionalOnProperty(
    prefix = "payrail.events.relay",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(OutboxRelayProperties.class)
public class OutboxRelay implements SmartLifecycle {

  /** The Kafka header that carries the event id, for consumers to deduplicate on. */
  public static final String EVENT_ID_HEADER = "event_id";

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private record Event(String id, String topic, String objectId, String payload) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final KafkaTemplate<String, String> kafka;
  private final OutboxRelayProperties properties;

  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;
  private volatile boolean stopping;

  // Touched by the relay thread only.
  private Instant failingSince;
  private Duration backoff = Duration.ZERO;

  /**
   * @param producers the application's producer factory (spring.kafka.producer settings, String
   *     serializers); the relay sends through a {@link KafkaTemplate} of its own on it, which
   *     shares its producer but not its {@code LoggingProducerListener}: that one logs an error,
   *     with the start of the payload, for every record of every failed poll.
   */
  public OutboxRelay(
      JdbcClient jdbc,
      PlatformTransactionManager transactionManager,
      ProducerFactory<String, String> producers,
      OutboxRelayProperties properties) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    this.kafka = new KafkaTemplate<>(producers);
    this.kafka.setProducerListener(new ProducerListener<>() {});
    this.properties = properties;
  }

  /**
   * Publishes one batch now.
   *
   * @return how many events it published
   * @throws RuntimeException when Kafka or the database failed; the batch stays unpublished
   */
  public int publishBatch() {
    Integer published =
        transactions.execute(
            status -> {
              List<Event> events =
                  jdbc.sql(
                          """
                          SELECT id, topic, object_id, payload::text AS payload FROM events
                          WHERE published_at IS NULL
                          ORDER BY created_at, id
                          LIMIT ?
                          FOR UPDATE SKIP LOCKED
                          """)
                      .param(properties.batchSize())
                      .query(
                          (row, n) ->
                              new Event(
                                  row.getString("id"),
                                  row.getString("topic"),
                                  row.getString("object_id"),
                                  row.getString("payload")))
                      .list();
              if (events.isEmpty()) {
                return 0;
              }
              awaitAcknowledgements(events.stream().map(this::send).toList());
              jdbc.sql("UPDATE events SET published_at = now() WHERE id IN (:ids)")
                  .param("ids", events.stream().map(Event::id).toList())
                  .update();
              return events.size();
            });
    return published == null ? 0 : published;
  }

  private CompletableFuture<?> send(Event event) {
    return kafka.send(
        new ProducerRecord<>(
            event.topic(),
            null,
            event.objectId(),
            event.payload(),
            List.of(
                new RecordHeader(EVENT_ID_HEADER, event.id().getBytes(StandardCharsets.UTF_8)))));
  }

  private void awaitAcknowledgements(List<CompletableFuture<?>> acknowledgements) {
    try {
      CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new))
          .get(properties.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not take the batch", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not acknowledge "
              + acknowledgements.size()
              + " events within "
              + properties.ackTimeout(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (scheduler != null) {
        return;
      }
      stopping = false;
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("outbox-relay").daemon().factory());
      scheduler.execute(this::poll);
    }
  }

  /** Stops polling; a batch in flight is interrupted and rolls back, to be published later. */
  @Override
  public void stop() {
    ScheduledExecutorService stopped;
    synchronized (lifecycle) {
      if (scheduler == null) {
        return;
      }
      stopping = true;
      stopped = scheduler;
      scheduler = null;
    }
    stopped.shutdownNow();
    try {
      if (!stopped.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the outbox relay did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    synchronized (lifecycle) {
      return scheduler != null;
    }
  }

  private void poll() {
    Duration pause;
    try {
      int published = publishBatch();
      if (failingSince != null) {
        log.info(
            "Publishing events again after {} s of failures",
            Duration.between(failingSince, Instant.now()).toSeconds());
        failingSince = null;
      }
      // A full batch means more are waiting: take them at once.
      pause = published == properties.batchSize() ? Duration.ZERO : properties.pollInterval();
    } catch (RuntimeException e) {
      if (stopping) {
        return;
      }
      pause = failed(e);
    }
    schedule(pause);
  }

  private Duration failed(RuntimeException e) {
    if (failingSince == null) {
      failingSince = Instant.now();
      backoff = properties.pollInterval();
      log.warn(
          "Cannot publish events ({}); they stay in the outbox and are retried with backoff until"
              + " they are published. No further warning until then.",
          NestedExceptionUtils.getMostSpecificCause(e).toString(),
          e);
    } else {
      log.debug(
          "still cannot publish events: {}",
          NestedExceptionUtils.getMostSpecificCause(e).toString());
    }
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(properties.maxBackoff()) > 0) {
      backoff = properties.maxBackoff();
    }
    return backoff;
  }

  private void schedule(Duration pause) {
    synchronized (lifecycle) {
      if (scheduler != null) {
        scheduler.schedule(this::poll, pause.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
