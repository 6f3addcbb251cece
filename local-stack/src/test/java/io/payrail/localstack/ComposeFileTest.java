package io.payrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml must hold every host and port that the applications' production configuration
 * names, so neither can drift without the build failing; and it names every password as a required
 * variable, never a value.
 */
class ComposeFileTest {

  private static final Path ROOT =
      Path.of(System.getProperty("payrail.repo.root", "..")).toAbsolutePath().normalize();

  private static Map<String, Object> services;
  private static Map<String, Object> platform;
  private static Map<String, Object> api;
  private static Map<String, Object> workers;

  @BeforeAll
  static void load() throws IOException {
    services = map(yaml(ROOT.resolve("docker-compose.yml")), "services");
    platform = yaml(ROOT.resolve("platform/src/main/resources/payrail-platform.yml"));
    api = yaml(ROOT.resolve("api/src/main/resources/application.yml"));
    workers = yaml(ROOT.resolve("workers/src/main/resources/application.yml"));
  }

  @Test
  void postgres_hostPortAndDatabase_passwordsRequiredFromTheEnvironment_andStoredInVault()
      throws IOException {
    URI url = URI.create(string(platform, "spring.datasource.url").substring("jdbc:".length()));
    Map<String, Object> postgres = service(url.getHost());

    assertThat(exposedPorts(postgres)).contains(url.getPort());
    assertThat(environment(postgres))
        .containsEntry("POSTGRES_USER", string(platform, "spring.flyway.user"))
        .containsEntry("POSTGRES_DB", url.getPath().substring(1))
        .containsEntry(
            "POSTGRES_PASSWORD", "${PAYRAIL_DB_OWNER_PASSWORD:?set PAYRAIL_DB_OWNER_PASSWORD}")
        .containsEntry(
            "PAYRAIL_DB_APP_PASSWORD", "${PAYRAIL_DB_APP_PASSWORD:?set PAYRAIL_DB_APP_PASSWORD}");
    assertThat(map(platform, "spring").toString()).doesNotContain("password");
    // The applications read both credentials from Vault (VaultCredentials); vault-init stores them.
    assertThat(environment(service("vault-init")))
        .containsKeys("PAYRAIL_DB_OWNER_PASSWORD", "PAYRAIL_DB_APP_PASSWORD");
    assertThat(Files.readString(ROOT.resolve("infra/vault/init.sh")))
        .contains("\"app-username\":\"" + string(platform, "spring.datasource.username") + "\"")
        .contains("\"owner-username\":\"" + string(platform, "spring.flyway.user") + "\"");
  }

  /**
   * The database roles: the applications' is not the owner, and compose's init script creates it.
   */
  @Test
  void postgres_applicationRoleIsCreatedAndIsNotTheOwner() throws IOException {
    String appRole = string(platform, "spring.datasource.username");

    assertThat(appRole).isNotEqualTo(string(platform, "spring.flyway.user"));
    assertThat(String.valueOf(service("postgres").get("volumes")))
        .contains("./infra/postgres:/docker-entrypoint-initdb.d");
    assertThat(Files.readString(ROOT.resolve("infra/postgres/init-payrail-app-role.sh")))
        .contains("CREATE ROLE " + appRole + " LOGIN");
  }

  /**
   * In production the api's health and metrics answer on a port of their own, which compose exposes
   * to the other services and does not publish: only the API port faces clients.
   */
  @Test
  void api_managementPortIsExposedInternallyButNotPublished() throws IOException {
    Map<String, Object> production =
        yaml(ROOT.resolve("api/src/main/resources/application-production.yml"));
    int management =
        Integer.parseInt(
            string(production, "management.server.port")
                .replaceAll("^\\$\\{[A-Z_]+:(\\d+)}$", "$1"));
    Map<String, Object> apiService = service("api");

    // The production profile turns HTTPS on (application-tls.yml, TlsIT).
    assertThat(String.valueOf(value(api, "spring.profiles.group.production"))).contains("tls");

    assertThat(management).isNotEqualTo(value(api, "server.port"));
    assertThat(String.valueOf(apiService.get("expose"))).contains(String.valueOf(management));
    assertThat(String.valueOf(apiService.get("ports")))
        .doesNotContain(":" + management)
        .contains(":" + value(api, "server.port"));
  }

  @Test
  void everyPasswordOrTokenInCompose_isARequiredVariable() {
    for (var service : services.entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, String> environment = environment((Map<String, Object>) service.getValue());
      environment.forEach(
          (name, value) -> {
            if (name.matches(".*(PASSWORD|PWD|SECRET|TOKEN).*")) {
              assertThat(value).as(service.getKey() + " " + name).matches("\\$\\{[A-Z_]+:\\?.*\\}");
            }
          });
    }
  }

  @Test
  void vault_runsSetupThroughItsInitStep_andTheApplicationsUseIt() {
    URI vault = URI.create(string(platform, "payrail.vault.uri"));

    assertThat(exposedPorts(service(vault.getHost()))).contains(vault.getPort());
    assertThat(environment(service("vault-init"))).containsEntry("BAO_ADDR", vault.toString());
    assertThat(String.valueOf(service("vault-init").get("entrypoint"))).contains("init.sh");
    for (String application : List.of("api", "workers")) {
      assertThat(environment(service(application)))
          .containsEntry("SPRING_PROFILES_ACTIVE", "production")
          .containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/run/payrail-vault/");
    }
  }

  @Test
  void kafka_bootstrapServersAreAdvertised() {
    for (String server : string(platform, "spring.kafka.bootstrap-servers").split(",")) {
      String[] hostPort = server.strip().split(":");
      Map<String, Object> kafka = service(hostPort[0]);

      assertThat(exposedPorts(kafka)).contains(Integer.parseInt(hostPort[1]));
      assertThat(environment(kafka).get("KAFKA_ADVERTISED_LISTENERS")).contains(server.strip());
    }
  }

  @Test
  void kafka_hasEnoughBrokersForEveryTopic() {
    List<Map<String, Object>> topics = list(platform, "payrail.kafka.topics");
    long brokers = services.keySet().stream().filter(name -> name.startsWith("kafka")).count();

    assertThat(topics).isNotEmpty();
    topics.forEach(
        topic -> assertThat((Integer) topic.get("replicas")).isLessThanOrEqualTo((int) brokers));
  }

  @Test
  void redis_hostAndPort() {
    Map<String, Object> redis = service(string(platform, "spring.data.redis.host"));

    assertThat(exposedPorts(redis)).contains((Integer) value(platform, "spring.data.redis.port"));
  }

  @Test
  void temporal_targetNamespaceAndSetup() throws IOException {
    String target = string(platform, "spring.temporal.connection.target");
    String[] hostPort = target.split(":");
    String namespace = string(platform, "spring.temporal.namespace");

    assertThat(exposedPorts(service(hostPort[0]))).contains(Integer.parseInt(hostPort[1]));
    assertThat(namespace).isEqualTo(namespaceEnv().getProperty("PAYRAIL_NAMESPACE"));
    assertThat(environment(service("temporal-admin-tools")))
        .containsEntry("TEMPORAL_ADDRESS", target);
    assertThat(String.valueOf(service("temporal-admin-tools").get("entrypoint")))
        .contains("setup.sh");
    assertThat(environment(service("temporal-ui")))
        .containsEntry("TEMPORAL_ADDRESS", target)
        .containsEntry("TEMPORAL_DEFAULT_NAMESPACE", namespace);
  }

  @Test
  void applications_imagesPortsAndRequiredSecrets() {
    String version = System.getProperty("payrail.version", "0.1.0-SNAPSHOT");

    assertThat(service("api").get("image")).isEqualTo("payrail/api:" + version);
    assertThat(service("workers").get("image")).isEqualTo("payrail/workers:" + version);
    assertThat(exposedPorts(service("api"))).contains((Integer) value(api, "server.port"));
    assertThat(exposedPorts(service("workers"))).contains((Integer) value(workers, "server.port"));
    assertThat(environment(service("api"))).containsKey("PAYRAIL_ADMIN_TOKEN");
  }

  /**
   * The settlement schedules are applied once per deploy, after the namespace exists, against the
   * same Temporal as the applications, and with the cut-offs the api places business days by.
   */
  @Test
  void settlementSchedules_oneShotAfterTemporalSetup_sameTemporalAndCutOffsAsTheApi()
      throws IOException {
    String version = System.getProperty("payrail.version", "0.1.0-SNAPSHOT");
    Map<String, Object> schedules = service("settlement-schedules");
    Map<String, Object> config =
        yaml(ROOT.resolve("settlement-schedules/src/main/resources/application.yml"));

    assertThat(schedules.get("image")).isEqualTo("payrail/settlement-schedules:" + version);
    assertThat(String.valueOf(map(schedules, "depends_on").get("temporal-admin-tools")))
        .contains("service_completed_successfully");
    assertThat(schedules).doesNotContainKeys("ports", "expose");
    assertThat(string(config, "spring.temporal.connection.target"))
        .isEqualTo(string(platform, "spring.temporal.connection.target"));
    assertThat(string(config, "spring.temporal.namespace"))
        .isEqualTo(string(platform, "spring.temporal.namespace"));
    assertThat(value(config, "payrail.settlement.currencies"))
        .isEqualTo(value(api, "payrail.settlement.currencies"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void keycloak_sameVersionAsLocally_realmImported_apiAndTemporalUiTrustTheSameIssuer()
      throws IOException {
    Map<String, Object> keycloak = service("keycloak");
    Map<String, Object> realm = yaml(ROOT.resolve("infra/keycloak/payrail-realm.json"));
    String command = String.valueOf(keycloak.get("command"));
    String issuer = environment(service("api")).get("PAYRAIL_STAFF_ISSUER_URI");
    URI issuerUri = URI.create(issuer);

    assertThat(String.valueOf(keycloak.get("image")))
        .endsWith(":" + io.payrail.devservers.KeycloakDevServer.VERSION);
    assertThat(command).contains("--import-realm", "--hostname=http://keycloak:");
    assertThat((List<String>) keycloak.get("volumes"))
        .contains("./infra/keycloak:/opt/keycloak/data/import:ro");
    assertThat(issuerUri.getHost()).isEqualTo("keycloak");
    assertThat(exposedPorts(keycloak)).contains(issuerUri.getPort());
    assertThat(issuer).isEqualTo(issuerUri.resolve("/realms/" + realm.get("realm")).toString());
    assertThat(environment(service("temporal-ui")))
        .containsEntry("TEMPORAL_AUTH_ENABLED", "true")
        .containsEntry("TEMPORAL_AUTH_PROVIDER_URL", issuer)
        .containsEntry("TEMPORAL_AUTH_ISSUER_URL", issuer);
    String uiClient = environment(service("temporal-ui")).get("TEMPORAL_AUTH_CLIENT_ID");
    Map<String, Object> client =
        ((List<Map<String, Object>>) realm.get("clients"))
            .stream().filter(c -> uiClient.equals(c.get("clientId"))).findFirst().orElseThrow();
    // The realm names the secret by an environment variable, which compose demands and shares.
    String secretVariable = String.valueOf(client.get("secret")).replaceAll("^\\$\\{|}$", "");
    assertThat(String.valueOf(client.get("secret"))).startsWith("${");
    assertThat(environment(keycloak).get(secretVariable)).startsWith("${" + secretVariable + ":?");
    assertThat(environment(service("temporal-ui")).get("TEMPORAL_AUTH_CLIENT_SECRET"))
        .startsWith("${" + secretVariable + ":?");
  }

  @Test
  void keycloakRealm_holdsNoUserAndNoLiteralSecret() throws IOException {
    String realm = Files.readString(ROOT.resolve("infra/keycloak/payrail-realm.json"));
    Map<String, Object> parsed = yaml(ROOT.resolve("infra/keycloak/payrail-realm.json"));

    assertThat(parsed).doesNotContainKey("users");
    assertThat(realm).doesNotContainIgnoringCase("\"password\"");
    java.util.regex.Matcher secrets =
        java.util.regex.Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]*)\"").matcher(realm);
    while (secrets.find()) {
      assertThat(secrets.group(1)).matches("\\$\\{[A-Z0-9_]+}");
    }
  }

  @Test
  void everyServiceTheArchitectureNames_isPresent() {
    assertThat(services)
        .containsKeys(
            "postgres",
            "temporal",
            "temporal-admin-tools",
            "temporal-ui",
            "kafka",
            "redis",
            "clickhouse",
            "keycloak",
            "vault",
            "api",
            "workers");
  }

  @Test
  void everyMountedRepositoryPath_exists() {
    for (var entry : services.entrySet()) {
      @SuppressWarnings("unchecked")
      List<String> volumes =
          (List<String>)
              ((Map<String, Object>) entry.getValue()).getOrDefault("volumes", List.of());
      volumes.stream()
          .filter(volume -> volume.startsWith("./"))
          .map(volume -> volume.substring(0, volume.indexOf(':')))
          .forEach(path -> assertThat(ROOT.resolve(path)).as(entry.getKey()).exists());
    }
  }

  private static Properties namespaceEnv() throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(ROOT.resolve("infra/temporal/namespace.env"))) {
      properties.load(reader);
    }
    return properties;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    assertThat(services).as("docker-compose.yml service for host '%s'", name).containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, Object> raw = (Map<String, Object>) service.getOrDefault("environment", Map.of());
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    raw.forEach((key, value) -> environment.put(key, String.valueOf(value)));
    return environment;
  }

  /** Container-side ports: the {@code expose} list and the right-hand side of {@code ports}. */
  @SuppressWarnings("unchecked")
  private static List<Integer> exposedPorts(Map<String, Object> service) {
    List<Integer> ports = new ArrayList<>();
    for (Object port : (List<Object>) service.getOrDefault("expose", List.of())) {
      ports.add(Integer.parseInt(String.valueOf(port)));
    }
    for (Object mapping : (List<Object>) service.getOrDefault("ports", List.of())) {
      String text = String.valueOf(mapping);
      ports.add(Integer.parseInt(text.substring(text.lastIndexOf(':') + 1)));
    }
    return ports;
  }

  /** The file's first document: the settings of every profile. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return (Map<String, Object>) new Yaml().loadAll(reader).iterator().next();
    }
  }

  private static String string(Map<String, Object> root, String path) {
    return String.valueOf(value(root, path));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> root, String path) {
    return (List<Map<String, Object>>) value(root, path);
  }

  @SuppressWarnings("unchecked")
  private static Object value(Map<String, Object> root, String path) {
    Object current = root;
    for (String key : path.split("\\.")) {
      assertThat(current).as(path).isInstanceOf(Map.class);
      current = ((Map<String, Object>) current).get(key);
      assertThat(current).as(path).isNotNull();
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> root, String key) {
    return (Map<String, Object>) root.get(key);
  }
}
