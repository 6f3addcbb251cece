package io.payrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.payrail.devservers.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher behind {@code ./payrail run}, as its own process: it prints the banner, refuses a
 * second copy on the same home with a clear message, and on Ctrl-C (SIGINT) stops every process it
 * started and frees every port.
 */
class PayrailRunIT {

  private static final Path ROOT =
      Path.of(System.getProperty("payrail.repo.root", "..")).toAbsolutePath().normalize();
  private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

  @TempDir Path home;

  @Test
  void run_printsBanner_refusesSecondCopy_andCtrlCLeavesNothingBehind() throws Exception {
    Process launcher = launch();
    List<String> output = collect(launcher);
    try {
      awaitLine(output, launcher, "Ctrl-C stops everything", Duration.ofMinutes(5));
      String banner = String.join("\n", output);
      String apiUrl = find(banner, "API\\s+(http://127\\.0\\.0\\.1:\\d+)");
      assertThat(banner).contains("swagger-ui.html", "Temporal UI", "Demo merchant", "sk_test_");
      assertThat(get(apiUrl + "/actuator/health").statusCode()).isEqualTo(200);
      assertThat(staffPaymentsAsThePrintedOperator(banner, apiUrl).statusCode()).isEqualTo(200);
      List<ProcessHandle> started = launcher.descendants().toList();
      List<Integer> ports = ports(banner);
      assertThat(started).hasSizeGreaterThanOrEqualTo(4);
      assertThat(ports).hasSizeGreaterThanOrEqualTo(8);

      Process second = launch();
      String refusal = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(refusal).contains("already running", "PAYRAIL_HOME");
      assertThat(launcher.isAlive()).isTrue();

      interrupt(launcher);

      boolean exited = launcher.waitFor(90, TimeUnit.SECONDS);
      assertThat(exited)
          .as(
              "launcher exited after SIGINT; still alive: %s%noutput:%n%s",
              describe(started), String.join("\n", output))
          .isTrue();
      awaitTrue(() -> started.stream().noneMatch(ProcessHandle::isAlive), "children exit");
      awaitTrue(() -> ports.stream().allMatch(Ports::isFree), "every port freed: " + ports);
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  private Process launch() throws Exception {
    Path target = ROOT.resolve("local-stack/target");
    String classpath =
        target.resolve("classes")
            + ":"
            + Files.readString(target.resolve("launcher.classpath")).strip();
    ProcessBuilder builder =
        new ProcessBuilder(
                // A job started in the background by a non-interactive shell (as CI may be)
                // inherits SIGINT as ignored, and the JVM then leaves it so. Restore the default
                // disposition, as a terminal has it, so this test is about Ctrl-C whatever ran it.
                "python3",
                "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
                    + " os.execvp(sys.argv[1], sys.argv[1:])",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                classpath,
                "-Dpayrail.repo.root=" + ROOT,
                "-Dpayrail.api.jar=" + System.getProperty("payrail.api.jar"),
                "-Dpayrail.workers.jar=" + System.getProperty("payrail.workers.jar"),
                "io.payrail.localstack.PayrailLocal")
            .redirectErrorStream(true);
    builder.environment().put("PAYRAIL_HOME", home.toString());
    for (String port :
        List.of(
            "API",
            "WORKERS",
            "TEMPORAL",
            "TEMPORAL_UI",
            "POSTGRES",
            "KAFKA",
            "REDIS",
            "BANK",
            "KEYCLOAK")) {
      builder.environment().put("PAYRAIL_" + port + "_PORT", "0");
    }
    return builder.start();
  }

  /** What a terminal's Ctrl-C sends. */
  private static void interrupt(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<String> collect(Process process) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
              } catch (Exception closed) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static void awaitLine(List<String> lines, Process process, String text, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (lines.stream().anyMatch(line -> line.contains(text))) {
        return;
      }
      assertThat(process.isAlive())
          .as("launcher alive; output so far:%n%s", String.join("\n", lines))
          .isTrue();
      Thread.sleep(250);
    }
    throw new AssertionError(
        "no '" + text + "' within " + timeout + ":\n" + String.join("\n", lines));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not within 60 s: " + what);
  }

  private static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList()
        .toString();
  }

  private static String find(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as(regex).isTrue();
    return matcher.group(1);
  }

  private static List<Integer> ports(String banner) {
    List<Integer> ports = new ArrayList<>();
    Matcher matcher = PORT.matcher(banner);
    while (matcher.find()) {
      int port = Integer.parseInt(matcher.group(1));
      if (!ports.contains(port)) {
        ports.add(port);
      }
    }
    return ports;
  }

  /** Signs in as the banner's operator, as its curl line does, and lists payments as staff. */
  private static HttpResponse<String> staffPaymentsAsThePrintedOperator(
      String banner, String apiUrl) throws Exception {
    String keycloak = find(banner, "Keycloak\\s+(http://127\\.0\\.0\\.1:\\d+)");
    String password = find(banner, "Staff user\\s+operator\\s+password (\\S+)");
    HttpResponse<String> token =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(keycloak + "/realms/payrail/protocol/openid-connect/token"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "grant_type=password&client_id=payrail-cli&username=operator&password="
                                + password))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    String accessToken = find(token.body(), "\"access_token\":\"([^\"]+)\"");
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/staff/v1/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + accessToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
