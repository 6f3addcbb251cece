package io.payrail.bench;

import io.payrail.devservers.TemporalDevServer;
import io.payrail.localstack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The machine and the versions a run measured, for the report. */
record Environment(
    String cpu,
    int cores,
    long memoryGib,
    String java,
    String postgres,
    String kafka,
    String temporal) {

  static Environment read(DataSource database, LocalStack stack) {
    return new Environment(
        readCpu(),
        Runtime.getRuntime().availableProcessors(),
        readMemoryGib(),
        System.getProperty("java.vm.vendor") + " " + Runtime.version(),
        postgres(database),
        "Apache Kafka " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + " (KRaft)",
        "Temporal CLI dev server (" + TemporalDevServer.CLI_PACKAGE + ")");
  }

  private static String readCpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long readMemoryGib() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(line -> line.startsWith("MemTotal"))
          .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / (1024 * 1024))
          .findFirst()
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String postgres(DataSource database) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version")) {
      rows.next();
      return "PostgreSQL " + rows.getString(1);
    } catch (SQLException e) {
      return "PostgreSQL (unknown version)";
    }
  }
}
