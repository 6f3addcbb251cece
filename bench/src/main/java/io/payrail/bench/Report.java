package io.payrail.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes one run's figures: {@code results.md}, {@code results.json} and two PNG charts. */
final class Report {

  private final BenchOptions options;
  private final Environment environment;
  private final HistoryCost.PaymentShape shape;
  private final List<Result> results;
  private final Map<String, HistoryCost> histories;
  private final Map<String, Map<String, Double>> timelines;

  Report(
      BenchOptions options,
      Environment environment,
      HistoryCost.PaymentShape shape,
      List<Result> results,
      Map<String, HistoryCost> histories,
      Map<String, Map<String, Double>> timelines) {
    this.options = options;
    this.environment = environment;
    this.shape = shape;
    this.results = results;
    this.histories = histories;
    this.timelines = timelines;
  }

  void write() {
    try {
      Files.createDirectories(options.out());
      Files.writeString(options.out().resolve("results.md"), markdown());
      JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
      Map<String, Object> raw = new LinkedHashMap<>();
      raw.put("when", now());
      raw.put("environment", environment);
      raw.put(
          "options",
          Map.of(
              "clients", options.clients(),
              "bank_latencies_ms", options.bankLatencies(),
              "warm_up_s", options.warmUp().toSeconds(),
              "window_s", options.window().toSeconds()));
      raw.put("payment_shape", shape);
      raw.put("histories", histories);
      raw.put("timelines_ms", timelines);
      raw.put("results", results);
      Files.writeString(options.out().resolve("results.json"), json.writeValueAsString(raw));
      BitmapEncoder.saveBitmap(
          chart("Throughput against concurrency", "payments/s", false),
          options.out().resolve("throughput.png").toString(),
          BitmapEncoder.BitmapFormat.PNG);
      BitmapEncoder.saveBitmap(
          chart("p99 latency of the first call against concurrency", "p99 (ms)", true),
          options.out().resolve("latency.png").toString(),
          BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the results to " + options.out(), e);
    }
  }

  private static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `./payrail bench` on ").append(now()).append(". ");
    md.append("After ")
        .append(options.stackWarmUp().toSeconds())
        .append(" s of payments thrown away once, a warm-up of ")
        .append(options.warmUp().toSeconds())
        .append(" s, then a measuring window of ")
        .append(options.window().toSeconds())
        .append(" s per load.\n\n");
    md.append("- Machine: ")
        .append(environment.cpu())
        .append(", ")
        .append(environment.cores())
        .append(" cores, ")
        .append(environment.memoryGib())
        .append(" GiB; every server, both applications and the load generator share it\n");
    md.append("- ").append(environment.java()).append("; ").append(environment.postgres());
    md.append("; ").append(environment.kafka()).append("; ").append(environment.temporal());
    md.append("\n- A payment's activities (read off its history): ")
        .append(shape.authorizeSteps())
        .append(" before the authorization's answer, ")
        .append(shape.captureSteps())
        .append(" for the capture\n\n");

    md.append("## Closed loop\n\n");
    md.append(
        "| system | scenario | bank ms | clients | payments/s | call | p50 ms | p95 ms | p99 ms |"
            + " max ms | errors |\n");
    md.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      if (r.clients() == 0) {
        continue;
      }
      rows(md, r, Integer.toString(r.clients()));
    }

    md.append("\n## Paced at half the peak (open loop, latency counted from each slot)\n\n");
    md.append(
        "| system | scenario | bank ms | target/s | payments/s | call | p50 ms | p95 ms | p99 ms |"
            + " max ms | errors |\n");
    md.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      if (r.clients() == 0) {
        rows(md, r, String.format(Locale.ROOT, "%.1f", r.targetPerSecond()));
      }
    }

    md.append("\n## Payrail against its floors (bank at 0 ms)\n\n");
    md.append(
        "| scenario | clients | Payrail payments/s | orchestration floor | Payrail / floor |"
            + " storage floor | Payrail / floor |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String scenario : List.of("automatic", "manual")) {
      for (int clients : options.clients()) {
        Optional<Result> payrail = find("payrail", scenario, clients);
        Optional<Result> orchestration = find("orchestration-floor", scenario, clients);
        Optional<Result> storage = find("storage-floor", "automatic", clients);
        if (payrail.isEmpty()) {
          continue;
        }
        double p = payrail.get().paymentsPerSecond();
        md.append("| ").append(scenario).append(" | ").append(clients).append(" | ");
        md.append(fmt(p)).append(" | ");
        md.append(
            orchestration
                .map(o -> fmt(o.paymentsPerSecond()) + " | " + ratio(p, o))
                .orElse("- | -"));
        md.append(" | ");
        md.append(
            scenario.equals("automatic")
                ? storage.map(s -> fmt(s.paymentsPerSecond()) + " | " + ratio(p, s)).orElse("- | -")
                : "- | -");
        md.append(" |\n");
      }
    }

    md.append("\n## Cost per payment (bank at 0 ms, whole load including warm-up)\n\n");
    md.append(
        "| scenario | clients | payments | PostgreSQL commits | rows written | WAL bytes |"
            + " Kafka messages |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      if (r.system().equals("payrail") && r.bankLatencyMs() == 0 && r.clients() > 0) {
        md.append("| ").append(r.scenario()).append(" | ").append(r.clients()).append(" | ");
        md.append(r.allPayments()).append(" | ");
        md.append(fmt(r.perPayment(r.cost().commits()))).append(" | ");
        md.append(fmt(r.perPayment(r.cost().rowsWritten()))).append(" | ");
        md.append(fmt(r.perPayment(r.cost().walBytes()))).append(" | ");
        md.append(fmt(r.perPayment(r.cost().kafkaMessages()))).append(" |\n");
      }
    }
    md.append("\n| scenario | history events | Temporal actions | activities | updates |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    histories.forEach(
        (scenario, cost) ->
            md.append("| ")
                .append(scenario)
                .append(" | ")
                .append(cost.events())
                .append(" | ")
                .append(cost.actions())
                .append(" | ")
                .append(cost.activities())
                .append(" | ")
                .append(cost.updates())
                .append(" |\n"));
    md.append("\n## Where the CPU goes (cores used during the measuring window, of ")
        .append(environment.cores())
        .append("; from /proc)\n\n");
    List<String> parts =
        List.of("temporal", "workers", "api", "postgres", "kafka", "redis", "bench", "other");
    md.append("| system | scenario | bank ms | clients | payments/s |");
    parts.forEach(p -> md.append(" ").append(p).append(" |"));
    md.append(" total |\n|---|---|---:|---:|---:|");
    parts.forEach(p -> md.append("---:|"));
    md.append("---:|\n");
    for (Result r : results) {
      if (r.cpuCores().isEmpty()) {
        continue;
      }
      md.append("| ").append(r.system()).append(" | ").append(r.scenario()).append(" | ");
      md.append(r.bankLatencyMs()).append(" | ");
      md.append(r.clients() == 0 ? "paced" : Integer.toString(r.clients())).append(" | ");
      md.append(fmt(r.paymentsPerSecond())).append(" |");
      parts.forEach(
          p -> md.append(" ").append(fmt(r.cpuCores().getOrDefault(p, 0.0))).append(" |"));
      md.append(" ")
          .append(
              fmt(
                  Math.round(
                          r.cpuCores().values().stream().mapToDouble(Double::doubleValue).sum()
                              * 100)
                      / 100.0))
          .append(" |\n");
    }
    md.append("\n## Where a payment's time goes (ms per workflow, from history timestamps, up to")
        .append(" the refund-window timer; bank at 0 ms, sampled across the loads)\n\n");
    List<String> names = List.copyOf(timelines.keySet());
    md.append("| from -> to |");
    names.forEach(n -> md.append(" ").append(n).append(" |"));
    md.append("\n|---|");
    names.forEach(n -> md.append("---:|"));
    md.append("\n");
    java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
    timelines.values().forEach(t -> pairs.addAll(t.keySet()));
    for (String pair : pairs) {
      md.append("| ").append(pair).append(" |");
      for (String n : names) {
        Double ms = timelines.get(n).get(pair);
        md.append(" ").append(ms == null ? "-" : fmt(ms)).append(" |");
      }
      md.append("\n");
    }
    md.append("\n![throughput](throughput.png)\n\n![latency](latency.png)\n");
    return md.toString();
  }

  private static void rows(StringBuilder md, Result r, String load) {
    boolean first = true;
    for (var call : r.calls().entrySet()) {
      var l = call.getValue();
      md.append("| ")
          .append(first ? r.system() : "")
          .append(" | ")
          .append(first ? r.scenario() : "")
          .append(" | ")
          .append(first ? Long.toString(r.bankLatencyMs()) : "")
          .append(" | ")
          .append(first ? load : "")
          .append(" | ")
          .append(first ? fmt(r.paymentsPerSecond()) : "")
          .append(" | ")
          .append(call.getKey())
          .append(" | ")
          .append(fmt(l.p50()))
          .append(" | ")
          .append(fmt(l.p95()))
          .append(" | ")
          .append(fmt(l.p99()))
          .append(" | ")
          .append(fmt(l.max()))
          .append(" | ")
          .append(l.errors())
          .append(" |\n");
      first = false;
    }
  }

  private Optional<Result> find(String system, String scenario, int clients) {
    return results.stream()
        .filter(r -> r.system().equals(system) && r.scenario().equals(scenario))
        .filter(r -> r.clients() == clients && r.bankLatencyMs() == 0)
        .findFirst();
  }

  private static String ratio(double payrail, Result floor) {
    return floor.paymentsPerSecond() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.0f%%", 100 * payrail / floor.paymentsPerSecond());
  }

  private static String fmt(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  /** One series per system, scenario and bank latency, against the clients (log scale). */
  private XYChart chart(String title, String yTitle, boolean latency) {
    XYChart chart =
        new XYChartBuilder()
            .width(960)
            .height(540)
            .title(title)
            .xAxisTitle("concurrent clients")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    // The storage floor is two orders of magnitude above the rest.
    chart.getStyler().setYAxisLogarithmic(true);
    Map<String, List<Result>> series = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.clients() > 0) {
        String name =
            r.system().equals("payrail")
                ? "Payrail " + r.scenario() + ", bank " + r.bankLatencyMs() + " ms"
                : r.system() + " " + (r.system().equals("storage-floor") ? "" : r.scenario());
        series.computeIfAbsent(name.strip(), n -> new ArrayList<>()).add(r);
      }
    }
    series.forEach(
        (name, points) -> {
          double[] x = points.stream().mapToDouble(Result::clients).toArray();
          double[] y =
              points.stream()
                  .mapToDouble(
                      r ->
                          latency
                              ? firstCall(r).map(Result.Latency::p99).orElse(0.0)
                              : r.paymentsPerSecond())
                  .toArray();
          chart.addSeries(name, x, y);
        });
    return chart;
  }

  /** The call that starts a payment: pay, authorize or write. */
  private static Optional<Result.Latency> firstCall(Result r) {
    return r.calls().entrySet().stream()
        .filter(e -> !e.getKey().equals("capture"))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
