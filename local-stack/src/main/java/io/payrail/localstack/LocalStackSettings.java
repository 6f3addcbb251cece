package io.payrail.localstack;

import io.payrail.devservers.DevServersSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the local stack runs and where. Read from the environment by {@link #fromEnvironment}; the
 * smoke test builds one on free ports.
 *
 * @param apiPort preferred port of the api; another free one is used when it is taken (0 = any)
 * @param workersPort preferred port of the workers' health and metrics endpoints
 * @param applicationProperties Spring properties given to both applications on top of the servers'
 *     addresses (tests shorten the authorization validity with it)
 * @param keycloakPort preferred port of Keycloak (staff sign-in)
 * @param staffSignIn whether to start Keycloak with demo staff users: {@code ./payrail run} does
 *     (unless {@code PAYRAIL_KEYCLOAK=off}); tests that need no staff leave out its half minute
 */
public record LocalStackSettings(
    DevServersSettings servers,
    Path apiJar,
    Path workersJar,
    int apiPort,
    int workersPort,
    Map<String, String> applicationProperties,
    int keycloakPort,
    boolean staffSignIn) {

  /** A stack without Keycloak: merchants' keys and the bootstrap admin token only. */
  public LocalStackSettings(
      DevServersSettings servers,
      Path apiJar,
      Path workersJar,
      int apiPort,
      int workersPort,
      Map<String, String> applicationProperties) {
    this(servers, apiJar, workersJar, apiPort, workersPort, applicationProperties, 0, false);
  }

  static LocalStackSettings fromEnvironment(Map<String, String> env, Path repoRoot) {
    Path home =
        Path.of(env.getOrDefault("PAYRAIL_HOME", repoRoot.resolve(".payrail/local").toString()));
    DevServersSettings servers =
        new DevServersSettings(
            home.toAbsolutePath().normalize(),
            repoRoot.resolve(".payrail/tools"),
            repoRoot.resolve("infra/temporal"),
            repoRoot.resolve("infra/vault"),
            port(env, "PAYRAIL_TEMPORAL_PORT", 7233),
            port(env, "PAYRAIL_TEMPORAL_UI_PORT", 8233),
            port(env, "PAYRAIL_POSTGRES_PORT", 54329),
            port(env, "PAYRAIL_KAFKA_PORT", 9092),
            port(env, "PAYRAIL_REDIS_PORT", 6379),
            port(env, "PAYRAIL_VAULT_PORT", 8200),
            port(env, "PAYRAIL_BANK_PORT", 8090),
            port(env, "PAYRAIL_NOTIFICATIONS_PORT", 8091),
            port(env, "PAYRAIL_SMTP_PORT", 2525));
    return new LocalStackSettings(
        servers,
        Path.of(System.getProperty("payrail.api.jar")),
        Path.of(System.getProperty("payrail.workers.jar")),
        port(env, "PAYRAIL_API_PORT", 8080),
        port(env, "PAYRAIL_WORKERS_PORT", 8081),
        Map.of(),
        port(env, "PAYRAIL_KEYCLOAK_PORT", 8180),
        !"off".equalsIgnoreCase(env.getOrDefault("PAYRAIL_KEYCLOAK", "on").strip()));
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.strip());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a port number (0-65535), not '" + value + "'");
    }
  }
}
