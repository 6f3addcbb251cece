package io.payrail.devservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} distribution from Maven Central) in dev mode
 * on loopback, over plain HTTP, with the {@code payrail} realm of {@code infra/keycloak/} imported
 * on its first start. Staff sign in through it; the api checks their tokens against its keys.
 *
 * <p>Keycloak is slow (about 30 s to start, three minutes the first time, when Quarkus builds the
 * distribution), so it is not one of {@link DevServers}: the local stack starts it next to them,
 * and the tests that need it share one per JVM ({@link SharedKeycloak}).
 *
 * <p>The distribution is downloaded once into the tools folder and checked against the SHA-512 that
 * Central publishes next to it. Each data folder has its own database (H2 file) and its own
 * bootstrap administrator, whose password is random, made on the folder's first start and kept
 * there (owner-only): Keycloak creates that administrator only once, with the folder's database.
 */
public final class KeycloakDevServer implements AutoCloseable {

  public static final String VERSION = "26.7.3";
  public static final String REALM = "payrail";

  /** The realm's clients (see {@code infra/keycloak/payrail-realm.json}). */
  public static final String API_CLIENT = "payrail-api";

  public static final String CLI_CLIENT = "payrail-cli";

  static final String DIST_URL =
      "https://repo.maven.apache.org/maven2/org/keycloak/keycloak-quarkus-dist/"
          + VERSION
          + "/keycloak-quarkus-dist-"
          + VERSION
          + ".zip";

  private static final Logger log = LoggerFactory.getLogger(KeycloakDevServer.class);
  private static final String ADMIN_USER = "admin";
  private static final String HEAP = "-Xms64m -Xmx512m";
  // PLATFORM.md: 29 s warm, 172 s on a cold first start (the Quarkus build); room for a busy CI.
  private static final Duration STARTUP = Duration.ofMinutes(6);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ManagedProcess process;
  private final int port;
  private final String adminPassword;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private KeycloakDevServer(ManagedProcess process, int port, String adminPassword) {
    this.process = process;
    this.port = port;
    this.adminPassword = adminPassword;
  }

  /**
   * @param realmFile the repository's {@code infra/keycloak/payrail-realm.json}
   * @param temporalUiUrl where the Temporal UI client may send signed-in users back to
   */
  public static KeycloakDevServer start(
      Path dataDir, Path toolsDir, Path logDir, Path realmFile, int port, String temporalUiUrl) {
    Path home = ensureDistribution(toolsDir, realmFile);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    String adminPassword = adminPassword(dataDir);
    int managementPort = Ports.free();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("JAVA_OPTS_KC_HEAP", HEAP);
    environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
    environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    // Resolved by Keycloak in the realm file at import; the local Temporal UI does not sign in
    // through Keycloak, so its client's secret only has to be unguessable.
    environment.put("PAYRAIL_TEMPORAL_UI_CLIENT_SECRET", randomHex());
    environment.put("PAYRAIL_TEMPORAL_UI_URL", temporalUiUrl);
    String baseUrl = "http://127.0.0.1:" + port;
    ManagedProcess process =
        ManagedProcess.start(
            "Keycloak",
            List.of(
                "sh",
                home.resolve("bin").resolve("kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                // The issuer in every token, whatever host name a client used.
                "--hostname=" + baseUrl,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--db-url=jdbc:h2:file:"
                    + dataDir.resolve("keycloakdb").toAbsolutePath()
                    + ";NON_KEYWORDS=VALUE"),
            environment,
            logDir.resolve("keycloak.log"));
    KeycloakDevServer server = new KeycloakDevServer(process, port, adminPassword);
    try {
      server.awaitReady(managementPort);
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The {@code iss} of the realm's tokens. */
  public String issuer() {
    return baseUrl() + "/realms/" + REALM;
  }

  public String jwkSetUri() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  public String tokenUri() {
    return issuer() + "/protocol/openid-connect/token";
  }

  /** The settings that make the api accept this realm's staff tokens. */
  public Map<String, String> springProperties() {
    return springProperties(port);
  }

  /**
   * The same, for a Keycloak about to start on {@code port}: the api may start first, as it fetches
   * the realm's keys only when the first staff token arrives.
   */
  public static Map<String, String> springProperties(int port) {
    String issuer = "http://127.0.0.1:" + port + "/realms/" + REALM;
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("payrail.staff.issuer-uri", issuer);
    properties.put("payrail.staff.jwk-set-uri", issuer + "/protocol/openid-connect/certs");
    return properties;
  }

  /**
   * Creates a user of the realm with a realm role, or, if the user exists, sets its password and
   * grants the role: the local stack calls it on every start with a new password.
   */
  public void createUser(String username, String password, String role) {
    String admin = adminToken();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("username", username);
    user.put("enabled", true);
    // Keycloak's user profile wants these; without them the account is "not fully set up".
    user.put("email", username + "@payrail.local");
    user.put("emailVerified", true);
    user.put("firstName", username);
    user.put("lastName", "Payrail");
    HttpResponse<String> created = call(admin, "POST", "/users", JSON.writeValueAsString(user));
    if (created.statusCode() != 201 && created.statusCode() != 409) {
      throw failure("create user " + username, created);
    }
    String id = userId(admin, username);
    Map<String, Object> credential =
        Map.of("type", "password", "value", password, "temporary", false);
    expect(
        call(admin, "PUT", "/users/" + id + "/reset-password", JSON.writeValueAsString(credential)),
        204,
        "set the password of " + username);
    HttpResponse<String> roleRepresentation = call(admin, "GET", "/roles/" + role, null);
    expect(roleRepresentation, 200, "read role " + role);
    expect(
        call(
            admin,
            "POST",
            "/users/" + id + "/role-mappings/realm",
            "[" + roleRepresentation.body() + "]"),
        204,
        "grant " + role + " to " + username);
  }

  /**
   * Creates a public client with direct access grants whose access tokens name the api in {@code
   * aud} and live {@code accessTokenLifespan}: tests make short-lived tokens with it.
   */
  public void createPasswordClient(String clientId, Duration accessTokenLifespan) {
    createPasswordClient(clientId, accessTokenLifespan, true);
  }

  /**
   * The same; {@code forTheApi} false leaves the api out of {@code aud}: a valid token of this
   * realm that the api must refuse, for the tests of its audience check.
   */
  public void createPasswordClient(
      String clientId, Duration accessTokenLifespan, boolean forTheApi) {
    Map<String, Object> audience =
        Map.of(
            "name",
            "audience " + API_CLIENT,
            "protocol",
            "openid-connect",
            "protocolMapper",
            "oidc-audience-mapper",
            "config",
            Map.of("included.client.audience", API_CLIENT, "access.token.claim", "true"));
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("clientId", clientId);
    client.put("enabled", true);
    client.put("publicClient", true);
    client.put("standardFlowEnabled", false);
    client.put("directAccessGrantsEnabled", true);
    client.put(
        "attributes",
        Map.of("access.token.lifespan", Long.toString(accessTokenLifespan.toSeconds())));
    client.put("protocolMappers", forTheApi ? List.of(audience) : List.of());
    HttpResponse<String> created =
        call(adminToken(), "POST", "/clients", JSON.writeValueAsString(client));
    if (created.statusCode() != 201 && created.statusCode() != 409) {
      throw failure("create client " + clientId, created);
    }
  }

  /** An access token for a user, by the password grant of a public client (as curl gets one). */
  public String accessToken(String clientId, String username, String password) {
    return passwordGrant(tokenUri(), clientId, username, password);
  }

  /**
   * The shell command that gets a user's access token from the {@code payrail-cli} client and puts
   * it in {@code $TOKEN}; sed instead of jq, which not every machine has.
   */
  public String curlForToken(String username, String password) {
    return "TOKEN=$(curl -s "
        + tokenUri()
        + " -d grant_type=password -d client_id="
        + CLI_CLIENT
        + " -d username="
        + username
        + " -d password="
        + password
        + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')";
  }

  private String adminToken() {
    return passwordGrant(
        baseUrl() + "/realms/master/protocol/openid-connect/token",
        "admin-cli",
        ADMIN_USER,
        adminPassword);
  }

  private String passwordGrant(String uri, String clientId, String username, String password) {
    Map<String, String> form =
        Map.of(
            "grant_type", "password",
            "client_id", clientId,
            "username", username,
            "password", password);
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(uri))
                .timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    expect(response, 200, "get a token for " + username + " from " + clientId);
    return JSON.readTree(response.body()).path("access_token").asString();
  }

  private String userId(String adminToken, String username) {
    HttpResponse<String> found =
        call(
            adminToken,
            "GET",
            "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8),
            null);
    expect(found, 200, "find user " + username);
    JsonNode users = JSON.readTree(found.body());
    if (users.isEmpty()) {
      throw new IllegalStateException("Keycloak has no user " + username);
    }
    return users.get(0).path("id").asString();
  }

  private HttpResponse<String> call(String adminToken, String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + REALM + path))
            .timeout(CALL_TIMEOUT)
            .header("Authorization", "Bearer " + adminToken);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return send(request.build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Keycloak did not answer " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling Keycloak", e);
    }
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw failure(what, response);
    }
  }

  private static IllegalStateException failure(String what, HttpResponse<String> response) {
    return new IllegalStateException(
        "Keycloak could not " + what + ": HTTP " + response.statusCode() + " " + response.body());
  }

  /** Ready when the management port says so and the realm serves its OpenID configuration. */
  private void awaitReady(int managementPort) {
    Instant deadline = Instant.now().plus(STARTUP);
    URI health = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    URI realm = URI.create(issuer() + "/.well-known/openid-configuration");
    while (Instant.now().isBefore(deadline)) {
      process.requireAlive();
      if (answers200(health) && answers200(realm)) {
        return;
      }
      Waiting.pause(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "Keycloak was not ready within " + STARTUP + "; see " + process.logFile());
  }

  private boolean answers200(URI uri) {
    try {
      return http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }

  /** The folder's administrator password: made on its first start, kept owner-only in it. */
  private static String adminPassword(Path dataDir) {
    Path file = dataDir.resolve("bootstrap-admin.properties");
    Properties stored = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          stored.load(in);
        }
        return stored.getProperty("password");
      }
      stored.setProperty("password", randomHex());
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        stored.store(out, "Keycloak bootstrap admin (master realm, user admin) of this folder");
      }
      return stored.getProperty("password");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  /** 24 random bytes in hex: passwords and secrets nobody types. */
  public static String randomHex() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The distribution's folder in the tools folder, downloaded and checked on first use, with the
   * realm file in its import folder. A file lock keeps two JVMs (two test modules, a test and the
   * local stack) from installing it, or copying the realm, at the same time.
   */
  static Path ensureDistribution(Path toolsDir, Path realmFile) {
    Path home = toolsDir.resolve("keycloak-" + VERSION);
    Path kcSh = home.resolve("bin").resolve("kc.sh");
    try {
      Files.createDirectories(toolsDir);
      try (FileChannel channel =
              FileChannel.open(
                  toolsDir.resolve("keycloak.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.isRegularFile(kcSh)) {
          install(toolsDir, home);
        }
        Path imports = home.resolve("data").resolve("import");
        Files.createDirectories(imports);
        Files.copy(
            realmFile, imports.resolve("payrail-realm.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install Keycloak into " + toolsDir, e);
    }
  }

  private static void install(Path toolsDir, Path home) throws IOException {
    log.info("Downloading Keycloak {} from Maven Central into {}", VERSION, toolsDir);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    Path zip = toolsDir.resolve("keycloak-quarkus-dist-" + VERSION + ".zip.part");
    try {
      String expected = download(client, DIST_URL + ".sha512", Duration.ofSeconds(60)).strip();
      HttpResponse<Path> archive =
          client.send(
              HttpRequest.newBuilder(URI.create(DIST_URL)).timeout(Duration.ofMinutes(15)).build(),
              HttpResponse.BodyHandlers.ofFile(zip));
      if (archive.statusCode() != 200) {
        throw new IllegalStateException(DIST_URL + " answered HTTP " + archive.statusCode());
      }
      String actual = sha512(zip);
      if (!actual.equalsIgnoreCase(expected.split("\\s+")[0])) {
        throw new IllegalStateException(
            "Keycloak's download does not match Central's SHA-512: " + actual + " != " + expected);
      }
      Path unpacked = Files.createTempDirectory(toolsDir, "keycloak-unpacking-");
      unzip(zip, unpacked);
      Files.move(unpacked.resolve("keycloak-" + VERSION), home, StandardCopyOption.ATOMIC_MOVE);
      Files.delete(unpacked);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading Keycloak", e);
    } finally {
      Files.deleteIfExists(zip);
    }
  }

  private static String download(HttpClient client, String uri, Duration timeout)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(uri)).timeout(timeout).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static String sha512(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512", e);
    }
  }

  /** Unpacks into {@code target}, refusing entries that would land outside it. */
  private static void unzip(Path zip, Path target) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IllegalStateException("zip entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        if (out.getFileName().toString().endsWith(".sh")) {
          // The zip's Unix modes are not read by java.util.zip; the scripts must run.
          out.toFile().setExecutable(true, false);
        }
      }
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
