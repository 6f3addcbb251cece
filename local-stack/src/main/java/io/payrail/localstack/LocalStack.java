package io.payrail.localstack;

import io.payrail.devservers.DevServers;
import io.payrail.devservers.HomeLock;
import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.ManagedProcess;
import io.payrail.devservers.Ports;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payrail on one machine: the real servers of {@link DevServers}, then the api and the workers as
 * two processes of their own (as in production, where they scale and fail independently), both
 * pointed at the servers by configuration only. Stops everything on {@link #close}.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
  private static final Duration APP_STARTUP = Duration.ofMinutes(4);
  private static final String VAULT_TOKEN = "payrail.vault.token";
  private static final String SCHEDULES_JAR = "payrail.schedules.jar";
  private static final Duration SCHEDULES_TIMEOUT = Duration.ofMinutes(2);

  private final Path home;
  private final HomeLock lock;
  private final DevServers servers;
  private final StaffSignIn staff;
  private Map<String, String> staffUsers = Map.of();
  private ManagedProcess api;
  private ManagedProcess workers;
  private String apiUrl;
  private String workersUrl;
  private DemoMerchant demoMerchant;
  private String adminToken;
  private LocalStackSettings settings;
  private Map<String, String> secrets;
  private int workersPort;

  private LocalStack(Path home, HomeLock lock, DevServers servers, StaffSignIn staff) {
    this.home = home;
    this.lock = lock;
    this.servers = servers;
    this.staff = staff;
  }

  /**
   * Starts the whole stack, or throws {@link HomeLock.AlreadyRunningException} when another one
   * already runs on the same home folder.
   */
  public static LocalStack start(LocalStackSettings settings) {
    Path home = settings.servers().home();
    HomeLock lock = HomeLock.acquire(home);
    // Keycloak takes longest; it starts first, beside the others, and only the demo users wait.
    StaffSignIn staff = StaffSignIn.startIfWanted(settings);
    DevServers servers;
    try {
      log.info("Starting Temporal, PostgreSQL, Kafka and Redis (data in {})", home.resolve("data"));
      servers = DevServers.start(settings.servers());
    } catch (RuntimeException e) {
      staff.close();
      lock.close();
      throw e;
    }
    LocalStack stack = new LocalStack(home, lock, servers, staff);
    try {
      stack.startApplications(settings);
      stack.staffUsers = staff.demoUsers();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startApplications(LocalStackSettings settings) {
    Path logs = settings.servers().home().resolve("logs");
    // A fresh admin token each run, known only to this launcher: it seeds the demo merchant.
    adminToken = HexFormat.of().formatHex(randomBytes());
    int apiPort = Ports.preferredOrFree(settings.apiPort());
    this.settings = settings;
    workersPort = Ports.preferredOrFree(settings.workersPort());
    log.info("Starting the api (port {}) and the workers (port {})", apiPort, workersPort);
    // The Vault token and the database passwords through the environment, never as arguments
    // that ps shows or a launcher logs.
    Map<String, String> environment = new java.util.HashMap<>();
    environment.put("PAYRAIL_VAULT_TOKEN", servers.vault().applicationToken());
    servers
        .springProperties()
        .forEach(
            (key, value) -> {
              if (isSecret(key)) {
                environment.put(environmentName(key), value);
              }
            });
    secrets = Map.copyOf(environment);
    Map<String, String> apiEnvironment = new java.util.HashMap<>(secrets);
    apiEnvironment.put("PAYRAIL_ADMIN_TOKEN", adminToken);
    api = startApplication("api", settings.apiJar(), apiPort, settings, apiEnvironment, logs);
    workers =
        startApplication("workers", settings.workersJar(), workersPort, settings, secrets, logs);
    apiUrl = "http://127.0.0.1:" + apiPort;
    workersUrl = "http://127.0.0.1:" + workersPort;
    Health.awaitUp("api", api, apiUrl + "/actuator/health", APP_STARTUP);
    Health.awaitUp("workers", workers, workersUrl + "/actuator/health", APP_STARTUP);
    applySettlementSchedules();
    Path demoFile = settings.servers().home().resolve("demo-merchant.properties");
    demoMerchant = DemoMerchant.ensure(demoFile, apiUrl, adminToken);
  }

  /**
   * Creates or updates the settlement schedules, as docker-compose's {@code settlement-schedules}
   * step does on a deploy: the deploy-step jar ({@code payrail.schedules.jar}, which {@code
   * ./payrail run} sets) against this stack's Temporal. Stacks started without it (tests that need
   * no settlement) skip the step, and say so.
   */
  private void applySettlementSchedules() {
    String jar = System.getProperty(SCHEDULES_JAR);
    if (jar == null) {
      log.info("No {}: the settlement schedules are not applied", SCHEDULES_JAR);
      return;
    }
    Map<String, String> temporal = servers.springProperties();
    ManagedProcess.run(
        "settlement-schedules",
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Xmx256m",
            "-jar",
            Path.of(jar).toAbsolutePath().toString(),
            "--spring.temporal.connection.target="
                + temporal.get("spring.temporal.connection.target"),
            "--spring.temporal.namespace=" + temporal.get("spring.temporal.namespace")),
        Map.of(),
        SCHEDULES_TIMEOUT);
    log.info("Settlement schedules applied (Temporal UI: Schedules, settlement-<currency>)");
  }

  private ManagedProcess startApplication(
      String name,
      Path jar,
      int port,
      LocalStackSettings settings,
      Map<String, String> environment,
      Path logs) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port);
    // Plain HTTP with a bootstrap admin token and loopback webhooks allowed: this machine only.
    command.add("--server.address=127.0.0.1");
    servers.springProperties().entrySet().stream()
        .filter(setting -> !setting.getKey().equals(VAULT_TOKEN) && !isSecret(setting.getKey()))
        .forEach(setting -> command.add("--" + setting.getKey() + "=" + setting.getValue()));
    // The local profile: webhook endpoints on this machine, over plain http, are allowed.
    command.add("--payrail.webhooks.allow-private-addresses=true");
    command.add("--payrail.webhooks.allow-http=true");
    // Operator alerts on every channel, to the simulator's inbox.
    command.add("--payrail.notifications.operators=" + LOCAL_OPERATORS);
    // Payout files beside the stack's other data, where the README's walk-through reads them.
    command.add("--payrail.settlement.outbox-dir=" + settings.servers().home().resolve("outbox"));
    staff.springProperties().forEach((key, value) -> command.add("--" + key + "=" + value));
    settings.applicationProperties().forEach((key, value) -> command.add("--" + key + "=" + value));
    ManagedProcess process =
        ManagedProcess.start(name, command, environment, logs.resolve(name + ".log"));
    return process;
  }

  /**
   * Kills the workers process at once (SIGKILL, no draining), as a crash does: for the reliability
   * tests. {@link #startWorkers} brings it back.
   */
  public void killWorkers() {
    workers.kill();
  }

  /** Starts the workers again (after {@link #killWorkers}) on the same port, and waits for them. */
  public void startWorkers() {
    if (workers.isAlive()) {
      throw new IllegalStateException("the workers are running");
    }
    Path logs = settings.servers().home().resolve("logs");
    workers =
        startApplication("workers", settings.workersJar(), workersPort, settings, secrets, logs);
    Health.awaitUp("workers", workers, workersUrl + "/actuator/health", APP_STARTUP);
  }

  /** Who gets operator alerts on the local stack: one recipient per channel, all simulated. */
  static final String LOCAL_OPERATORS =
      "email:oncall@payrail.local,sms:+15550100100,push:local-operator-device";

  private static byte[] randomBytes() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  public Path home() {
    return home;
  }

  public DevServers servers() {
    return servers;
  }

  public ManagedProcess api() {
    return api;
  }

  public ManagedProcess workers() {
    return workers;
  }

  public String apiUrl() {
    return apiUrl;
  }

  public String workersUrl() {
    return workersUrl;
  }

  /** This run's admin token: for tests that create merchants of their own. */
  String adminToken() {
    return adminToken;
  }

  public DemoMerchant demoMerchant() {
    return demoMerchant;
  }

  /** Keycloak, when staff sign-in is on. */
  public java.util.Optional<KeycloakDevServer> keycloak() {
    return staff.keycloak();
  }

  /** This run's demo staff: user name (operator, finance, admin) to password; empty without. */
  public Map<String, String> staffUsers() {
    return staffUsers;
  }

  /** Stops the applications first (they drain their work), then the servers, then unlocks. */
  @Override
  public void close() {
    Map<String, ManagedProcess> running = new java.util.LinkedHashMap<>();
    if (api != null) {
      running.put("api", api);
    }
    if (workers != null) {
      running.put("workers", workers);
    }
    DevServers.closeAllQuietly(running);
    DevServers.closeAllQuietly(Map.of("servers", servers, "Keycloak", staff));
    lock.close();
  }

  /** A setting that holds a password: passed in the environment, not on the command line. */
  private static boolean isSecret(String key) {
    return key.endsWith(".password");
  }

  /** Spring's relaxed binding: {@code spring.flyway.password} is {@code SPRING_FLYWAY_PASSWORD}. */
  private static String environmentName(String key) {
    return key.replace('.', '_').replace("-", "").toUpperCase(java.util.Locale.ROOT);
  }
}
