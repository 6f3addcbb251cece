package io.payrail.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The servers' own counters, read before and after a load: PostgreSQL's commits, row writes and WAL
 * position (pg_stat_database, pg_stat_user_tables, pg_current_wal_lsn) and Kafka's end offsets.
 */
final class ServerCounters implements AutoCloseable {

  private final DataSource database;
  private final Admin kafka;

  ServerCounters(DataSource database, String bootstrapServers) {
    this.database = database;
    this.kafka =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
  }

  /** One reading. */
  record Reading(long commits, long rowsWritten, long walBytes, long kafkaMessages) {

    Reading minus(Reading earlier) {
      return new Reading(
          commits - earlier.commits,
          rowsWritten - earlier.rowsWritten,
          walBytes - earlier.walBytes,
          kafkaMessages - earlier.kafkaMessages);
    }
  }

  /**
   * Reads the counters. PostgreSQL publishes its statistics with a short delay, so a reading after
   * a load first asks it for fresh ones.
   */
  Reading read() {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_stat_clear_snapshot()");
      long commits =
          single(
              statement,
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      long rows =
          single(
              statement,
              "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint"
                  + " FROM pg_stat_user_tables");
      long wal = single(statement, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
      return new Reading(commits, rows, wal, kafkaMessages());
    } catch (SQLException e) {
      throw new IllegalStateException("could not read PostgreSQL's statistics", e);
    }
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The sum of the end offsets of every Payrail topic: the messages written to them so far. */
  private long kafkaMessages() {
    try {
      Set<String> topics =
          kafka.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(name -> name.startsWith("payrail."))
              .collect(Collectors.toSet());
      Map<String, TopicDescription> described =
          kafka.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest =
          described.values().stream()
              .flatMap(
                  topic ->
                      topic.partitions().stream()
                          .map(
                              partition -> new TopicPartition(topic.name(), partition.partition())))
              .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
      return kafka.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read Kafka's offsets", e);
    }
  }

  @Override
  public void close() {
    kafka.close();
  }
}
