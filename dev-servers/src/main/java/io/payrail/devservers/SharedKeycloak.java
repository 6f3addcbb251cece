package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One Keycloak per test JVM, started on first use on a free port with a fresh data folder under
 * {@code target/}, and stopped when the JVM exits. Only the tests that need staff tokens call it:
 * Keycloak takes half a minute to start (three on a cold first start), so it is not part of {@link
 * SharedDevServers}.
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void servers(DynamicPropertyRegistry registry) {
 *   SharedKeycloak.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
 * }
 * }</pre>
 */
public final class SharedKeycloak {

  private static KeycloakDevServer keycloak;

  private SharedKeycloak() {}

  public static synchronized KeycloakDevServer get() {
    if (keycloak == null) {
      Path root = SharedDevServers.repoRoot();
      Path home = freshHome();
      keycloak =
          DevServers.withPortRetries(
              "Keycloak",
              () ->
                  KeycloakDevServer.start(
                      home.resolve("data").resolve("keycloak"),
                      root.resolve(".payrail").resolve("tools"),
                      home.resolve("logs"),
                      root.resolve("infra").resolve("keycloak").resolve("payrail-realm.json"),
                      Ports.free(),
                      "http://127.0.0.1:8233"));
      Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "keycloak-shutdown"));
    }
    return keycloak;
  }

  /**
   * The Spring properties of the shared dev servers and of Keycloak together, Keycloak (the
   * slowest) started beside the others: what a test of the staff API registers.
   */
  public static Map<String, String> withDevServers() {
    CompletableFuture<KeycloakDevServer> keycloak =
        CompletableFuture.supplyAsync(SharedKeycloak::get);
    Map<String, String> properties = new LinkedHashMap<>(SharedDevServers.get().springProperties());
    properties.putAll(keycloak.join().springProperties());
    return properties;
  }

  private static Path freshHome() {
    try {
      Path target = Path.of("target").toAbsolutePath();
      Files.createDirectories(target);
      return Files.createTempDirectory(target, "keycloak-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
