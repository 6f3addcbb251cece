package io.payrail.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The storage floor: a bare loop of JDBC transactions and Kafka sends, per "payment" the commits,
 * row writes and messages a Payrail payment was measured to make, with nothing around them (no
 * HTTP, no Temporal, no JSON mapping). Rows go to a table of its own in Payrail's database,
 * messages to a topic of its own on Payrail's broker, as the outbox relay sends them (acknowledged
 * by all in-sync replicas, idempotent producer).
 */
final class StorageFloor implements AutoCloseable {

  private static final String TOPIC = "bench.storage-floor";

  /** About the size of a Payrail event (its JSON) and of a ledger or transition row. */
  private static final String PAYLOAD = "x".repeat(900);

  private final DataSource database;
  private final KafkaProducer<String, String> producer;
  private final java.util.Queue<Connection> opened =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  StorageFloor(DataSource database, String bootstrapServers) {
    this.database = database;
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS bench_storage_floor"
              + " (id bigserial PRIMARY KEY, payment text NOT NULL, step int NOT NULL,"
              + " payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the storage floor's table", e);
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC)) {
        admin
            .createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not create " + TOPIC, e);
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000),
            new StringSerializer(),
            new StringSerializer());
  }

  /**
   * One floor payment per call: {@code commits} transactions sharing {@code rows} row writes, then
   * {@code messages} sends, each awaited (the relay marks an event published once Kafka has it).
   * Each client holds one connection for the whole load, as a pool would give it.
   */
  Load.Flow flow(int commits, int rows, int messages) {
    ThreadLocal<Connection> connections =
        ThreadLocal.withInitial(
            () -> {
              try {
                Connection connection = database.getConnection();
                connection.setAutoCommit(false);
                opened.add(connection);
                return connection;
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    return (calls, start) -> {
      String payment = UUID.randomUUID().toString();
      Boolean written =
          calls.time(
              "write",
              start,
              () -> {
                Connection connection = connections.get();
                int step = 0;
                try (PreparedStatement insert =
                    connection.prepareStatement(
                        "INSERT INTO bench_storage_floor (payment, step, payload) VALUES (?, ?, ?)")) {
                  for (int commit = 0; commit < commits; commit++) {
                    int share = rows / commits + (commit < rows % commits ? 1 : 0);
                    for (int row = 0; row < share; row++) {
                      insert.setString(1, payment);
                      insert.setInt(2, step++);
                      insert.setString(3, PAYLOAD);
                      insert.executeUpdate();
                    }
                    connection.commit();
                  }
                }
                for (int message = 0; message < messages; message++) {
                  Future<RecordMetadata> sent =
                      producer.send(new ProducerRecord<>(TOPIC, payment, PAYLOAD));
                  sent.get(30, TimeUnit.SECONDS);
                }
                return Boolean.TRUE;
              });
      if (written != null) {
        calls.paymentDone();
      }
    };
  }

  /** Closes the clients' connections after a load (PostgreSQL's connection limit is finite). */
  void releaseConnections() {
    for (Connection connection; (connection = opened.poll()) != null; ) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing after the load: nothing left to lose
      }
    }
  }

  @Override
  public void close() {
    releaseConnections();
    producer.close();
  }
}
