package io.payrail.bench;

import io.payrail.banksim.Faults;
import io.payrail.devservers.DevServersSettings;
import io.payrail.localstack.LocalStack;
import io.payrail.localstack.LocalStackSettings;
import io.payrail.workflows.payment.PaymentWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./payrail bench}: starts the local stack on free ports with data of its own, then measures
 * Payrail's payments, closed-loop at each concurrency and for each bank latency, the two floors on
 * the same servers, a paced load at half the peak, and the cost per payment; writes {@code
 * results.md}, {@code results.json} and two charts to {@code docs/benchmarks/}.
 */
public final class Bench {

  private static final Logger log = LoggerFactory.getLogger(Bench.class);
  private static final long AMOUNT = 2_500;
  private static final int SAMPLED_HISTORIES = 40;

  private final BenchOptions options;
  private final LocalStack stack;
  private final PayrailApi api;
  private final ServerCounters counters;
  private final WorkflowClient temporal;
  private final List<Result> results = new ArrayList<>();
  private final Map<String, Queue<String>> sampled =
      Map.of("automatic", new ConcurrentLinkedQueue<>(), "manual", new ConcurrentLinkedQueue<>());

  private Bench(BenchOptions options, LocalStack stack, WorkflowClient temporal) {
    this.options = options;
    this.stack = stack;
    this.temporal = temporal;
    this.api = new PayrailApi(stack.apiUrl(), stack.demoMerchant().apiKey());
    this.counters = new ServerCounters(database(), stack.servers().kafka().bootstrapServers());
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("payrail.repo.root", ".")).toAbsolutePath().normalize();
    BenchOptions options = BenchOptions.parse(args, root);
    Path home =
        Files.createTempDirectory(
            Files.createDirectories(root.resolve("bench/target")), "bench-stack-");
    log.info("Starting the local stack in {}", home);
    try (LocalStack stack =
        LocalStack.start(
            new LocalStackSettings(
                DevServersSettings.onFreePorts(home, root),
                Path.of(System.getProperty("payrail.api.jar")),
                Path.of(System.getProperty("payrail.workers.jar")),
                0,
                0,
                Map.of()))) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(stack.servers().temporal().target())
                  .build());
      WorkflowClient temporal =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder()
                  .setNamespace(stack.servers().temporal().namespace())
                  .build());
      try {
        new Bench(options, stack, temporal).run();
      } finally {
        service.shutdown();
      }
    }
    // Temporal's and Kafka's client threads are not daemons.
    System.exit(0);
  }

  private void run() throws Exception {
    // The steps of one payment, for the orchestration floor: read off a real one's history.
    PayrailApi.Answer probe = api.createPayment(AMOUNT, "USD", true);
    api.capture(probe.id());
    HistoryCost.PaymentShape shape =
        HistoryCost.shapeOfManualPayment(
            temporal.fetchHistory(PaymentWorkflow.workflowId(probe.id())).getHistory());
    log.info("A payment runs {}", shape);
    // The applications' JIT, connection pools and caches warm up once, before anything counts:
    // otherwise the first loads of the matrix pay for it.
    log.info("Warming up for {} s", options.stackWarmUp().toSeconds());
    Load.closedLoop(8, options.stackWarmUp(), Duration.ofSeconds(1), payrail("automatic"));
    Load.closedLoop(
        8, options.stackWarmUp().dividedBy(2), Duration.ofSeconds(1), payrail("manual"));
    sampled.values().forEach(Queue::clear);

    for (long latency : options.bankLatencies()) {
      bankLatency(latency);
      for (String scenario : List.of("automatic", "manual")) {
        for (int clients : options.clients()) {
          results.add(closedLoop("payrail", scenario, latency, clients, payrail(scenario)));
        }
      }
    }
    bankLatency(0);
    Map<String, Map<String, Double>> timelines = new java.util.LinkedHashMap<>();
    timelines.put(
        "Payrail automatic",
        timeline(
            List.copyOf(sampled.get("automatic")).stream()
                .map(PaymentWorkflow::workflowId)
                .toList()));
    try (OrchestrationFloor floor = new OrchestrationFloor(temporal)) {
      for (String scenario : List.of("automatic", "manual")) {
        FloorWorkflow.Spec spec = OrchestrationFloor.spec(shape, scenario.equals("manual"));
        for (int clients : options.clients()) {
          results.add(closedLoop("orchestration-floor", scenario, 0, clients, floor.flow(spec)));
        }
      }
      timelines.put("orchestration floor automatic", timeline(floor.sampledAutomatic()));
    }
    Result perPayment = steadiest("automatic");
    int commits = (int) Math.round(perPayment.perPayment(perPayment.cost().commits()));
    int rows = (int) Math.round(perPayment.perPayment(perPayment.cost().rowsWritten()));
    int messages = (int) Math.round(perPayment.perPayment(perPayment.cost().kafkaMessages()));
    try (StorageFloor floor =
        new StorageFloor(database(), stack.servers().kafka().bootstrapServers())) {
      for (int clients : options.clients()) {
        results.add(
            closedLoop(
                "storage-floor", "automatic", 0, clients, floor.flow(commits, rows, messages)));
        floor.releaseConnections();
      }
    }
    for (long latency : options.bankLatencies()) {
      bankLatency(latency);
      double peak =
          results.stream()
              .filter(r -> r.system().equals("payrail") && r.scenario().equals("manual"))
              .filter(r -> r.bankLatencyMs() == latency)
              .mapToDouble(Result::paymentsPerSecond)
              .max()
              .orElseThrow();
      results.add(paced("manual", latency, Math.max(1, peak / 2)));
    }
    bankLatency(0);

    Map<String, HistoryCost> histories = new java.util.LinkedHashMap<>();
    sampled.forEach((scenario, ids) -> histories.put(scenario, averageHistory(List.copyOf(ids))));
    new Report(options, Environment.read(database(), stack), shape, results, histories, timelines)
        .write();
    log.info("Results written to {}", options.out());
  }

  private Load.Flow payrail(String scenario) {
    boolean manual = scenario.equals("manual");
    Queue<String> sample = sampled.get(scenario);
    return (calls, start) -> {
      PayrailApi.Answer created =
          calls.time(
              manual ? "authorize" : "pay",
              start,
              () ->
                  expect(
                      api.createPayment(AMOUNT, "USD", manual),
                      manual ? "requires_capture" : "succeeded"));
      if (created == null) {
        return;
      }
      if (manual
          && calls.time(
                  "capture",
                  System.nanoTime(),
                  () -> expect(api.capture(created.id()), "succeeded"))
              == null) {
        return;
      }
      if (sample.size() < SAMPLED_HISTORIES) {
        sample.add(created.id());
      }
      calls.paymentDone();
    };
  }

  /** The answer when it is a 2xx with the status the load expects; null (an error) otherwise. */
  private static PayrailApi.Answer expect(PayrailApi.Answer answer, String status) {
    return answer.ok() && answer.paymentStatus().equals(status) ? answer : null;
  }

  private Result closedLoop(
      String system, String scenario, long latency, int clients, Load.Flow flow)
      throws InterruptedException {
    log.info("{} {} bank {} ms, {} clients", system, scenario, latency, clients);
    ServerCounters.Reading before = counters.read();
    Load.Measured measured = Load.closedLoop(clients, options.warmUp(), options.window(), flow);
    Result result =
        Result.of(system, scenario, latency, clients, 0, measured, settled().minus(before));
    log.info("  {} payments/s, {}", result.paymentsPerSecond(), result.calls());
    return result;
  }

  private Result paced(String scenario, long latency, double perSecond)
      throws InterruptedException {
    log.info("payrail {} bank {} ms, paced at {}/s", scenario, latency, perSecond);
    ServerCounters.Reading before = counters.read();
    Load.Measured measured =
        Load.paced(perSecond, 512, options.warmUp(), options.window(), payrail(scenario));
    Result result =
        Result.of("payrail", scenario, latency, 0, perSecond, measured, settled().minus(before));
    log.info("  {} payments/s, {}", result.paymentsPerSecond(), result.calls());
    return result;
  }

  /** The counters once the relay has published what the last payments wrote. */
  private ServerCounters.Reading settled() throws InterruptedException {
    Thread.sleep(Duration.ofSeconds(2));
    return counters.read();
  }

  /** The Payrail load of that scenario with the most payments: the steadiest cost figures. */
  private Result steadiest(String scenario) {
    return results.stream()
        .filter(r -> r.system().equals("payrail") && r.scenario().equals(scenario))
        .filter(r -> r.bankLatencyMs() == 0)
        .max(java.util.Comparator.comparingLong(Result::allPayments))
        .orElseThrow();
  }

  /** Where the sampled workflows' time went, by pair of consecutive history events. */
  private Map<String, Double> timeline(List<String> workflowIds) {
    Timeline timeline = new Timeline();
    for (String id : workflowIds) {
      timeline.add(temporal.fetchHistory(id).getHistory());
    }
    return timeline.perHistory();
  }

  private HistoryCost averageHistory(List<String> paymentIds) {
    int events = 0;
    int actions = 0;
    int activities = 0;
    int updates = 0;
    for (String id : paymentIds) {
      HistoryCost cost =
          HistoryCost.of(temporal.fetchHistory(PaymentWorkflow.workflowId(id)).getHistory());
      events += cost.events();
      actions += cost.actions();
      activities += cost.activities();
      updates += cost.updates();
    }
    int n = Math.max(1, paymentIds.size());
    return new HistoryCost(events / n, actions / n, activities / n, updates / n);
  }

  private void bankLatency(long millis) {
    stack.servers().bank().setFaults(new Faults(0, 0, millis, 0, 30_000, 3_000));
  }

  private DataSource database() {
    return stack.servers().postgres().superuserDataSource();
  }
}
