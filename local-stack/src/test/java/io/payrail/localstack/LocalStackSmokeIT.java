package io.payrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.DevServersSettings;
import io.payrail.devservers.HomeLock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code ./payrail run} does, on free ports: every server, the api and the workers as their
 * own processes, health UP for each dependency, the Temporal UI, the demo merchant; then a restart
 * on the same home keeps the merchant, and a second stack on that home is refused.
 */
class LocalStackSmokeIT {

  private static final Path REPO_ROOT = Path.of(System.getProperty("payrail.repo.root", ".."));

  @TempDir Path home;

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void wholeStack_startsHealthy_restartsWithItsData_andRefusesASecondCopy() throws Exception {
    LocalStackSettings settings = settings();
    DemoMerchant firstRun;

    try (LocalStack stack = LocalStack.start(settings)) {
      assertEveryDependencyUp(stack.apiUrl());
      assertEveryDependencyUp(stack.workersUrl());
      assertThat(
              get(stack.servers().temporal().uiUrl() + "/namespaces/payrail/workflows")
                  .statusCode())
          .isEqualTo(200);
      assertThat(get(stack.apiUrl() + "/v3/api-docs").statusCode()).isEqualTo(200);
      assertTopicsDeclaredInConfigurationExist(stack);
      assertThat(get(stack.servers().bank().baseUrl() + "/sim/stats").statusCode()).isEqualTo(200);
      firstRun = stack.demoMerchant();
      assertThat(merchantIdFor(stack, firstRun.apiKey())).isEqualTo(firstRun.id());

      assertThatThrownBy(() -> LocalStack.start(settings))
          .isInstanceOf(HomeLock.AlreadyRunningException.class)
          .hasMessageContaining("already running");
      assertThat(stack.api().isAlive()).isTrue();
    }

    try (LocalStack restarted = LocalStack.start(settings)) {
      assertThat(restarted.demoMerchant()).isEqualTo(firstRun);
      assertThat(merchantIdFor(restarted, firstRun.apiKey())).isEqualTo(firstRun.id());
    }
  }

  private LocalStackSettings settings() {
    Path root = REPO_ROOT.toAbsolutePath().normalize();
    return new LocalStackSettings(
        DevServersSettings.onFreePorts(home, root),
        Path.of(System.getProperty("payrail.api.jar")),
        Path.of(System.getProperty("payrail.workers.jar")),
        0,
        0,
        Map.of());
  }

  private void assertEveryDependencyUp(String appUrl) throws Exception {
    JsonNode health = json.readTree(get(appUrl + "/actuator/health").body());
    assertThat(health.path("status").asString()).isEqualTo("UP");
    for (String component : new String[] {"db", "redis", "kafka", "temporal"}) {
      assertThat(health.path("components").path(component).path("status").asString())
          .as(appUrl + " " + component)
          .isEqualTo("UP");
    }
  }

  private static void assertTopicsDeclaredInConfigurationExist(LocalStack stack) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.servers().kafka().bootstrapServers()))) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .contains("payrail.payment-events", "payrail.refund-events");
    }
  }

  private String merchantIdFor(LocalStack stack, String apiKey) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v1/merchant"))
                .header("Authorization", "Bearer " + apiKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body()).path("id").asString();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
