package io.payrail.localstack;

import io.payrail.devservers.KeycloakDevServer;
import io.payrail.devservers.Ports;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's Keycloak, started in a thread of its own beside the other servers (it takes
 * longest), and its demo staff: one user per role, {@code operator}, {@code finance} and {@code
 * admin}, and a second finance user, {@code checker}, because a rerun or a payout file is approved
 * by a finance user other than the one who asked for it (maker-checker). Each has a new random
 * password every run, printed by the banner. Nothing of it is in the repository. Off, it is an
 * empty shell: no Keycloak, no staff settings.
 */
final class StaffSignIn implements AutoCloseable {

  /** Demo user name to its role, in the banner's order. */
  static final Map<String, String> USERS =
      orderedMap(
          "operator", "operator", "finance", "finance", "checker", "finance", "admin", "admin");

  private static final Logger log = LoggerFactory.getLogger(StaffSignIn.class);

  private final CompletableFuture<KeycloakDevServer> keycloak;
  private final Map<String, String> springProperties;

  private StaffSignIn(
      CompletableFuture<KeycloakDevServer> keycloak, Map<String, String> springProperties) {
    this.keycloak = keycloak;
    this.springProperties = springProperties;
  }

  static StaffSignIn startIfWanted(LocalStackSettings settings) {
    if (!settings.staffSignIn()) {
      return new StaffSignIn(CompletableFuture.completedFuture(null), Map.of());
    }
    Path home = settings.servers().home();
    Path realm =
        settings.servers().infraTemporal().getParent().resolve("keycloak/payrail-realm.json");
    int port = Ports.preferredOrFree(settings.keycloakPort());
    String temporalUi = "http://127.0.0.1:" + settings.servers().temporalUiPort();
    log.info("Starting Keycloak (port {}); staff sign-in", port);
    CompletableFuture<KeycloakDevServer> keycloak =
        CompletableFuture.supplyAsync(
            () ->
                KeycloakDevServer.start(
                    home.resolve("data").resolve("keycloak"),
                    settings.servers().tools(),
                    home.resolve("logs"),
                    realm,
                    port,
                    temporalUi),
            runnable -> Thread.ofPlatform().name("keycloak-start").start(runnable));
    return new StaffSignIn(keycloak, KeycloakDevServer.springProperties(port));
  }

  /** What points the api at the realm; empty when staff sign-in is off. */
  Map<String, String> springProperties() {
    return springProperties;
  }

  Optional<KeycloakDevServer> keycloak() {
    return Optional.ofNullable(keycloak.getNow(null));
  }

  /** Waits for Keycloak and makes the demo users; user name to password, in role order. */
  Map<String, String> demoUsers() {
    KeycloakDevServer server = started();
    if (server == null) {
      return Map.of();
    }
    Map<String, String> users = new LinkedHashMap<>();
    USERS.forEach(
        (user, role) -> {
          String password = KeycloakDevServer.randomHex().substring(0, 20);
          server.createUser(user, password, role);
          users.put(user, password);
        });
    return users;
  }

  private KeycloakDevServer started() {
    try {
      return keycloak.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  @Override
  public void close() {
    // Stops Keycloak whenever its start finishes, even if that is after this call.
    keycloak.thenAccept(KeycloakDevServer::close).exceptionally(failed -> null).join();
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
