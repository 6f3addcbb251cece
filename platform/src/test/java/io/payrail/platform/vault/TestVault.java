package io.payrail.platform.vault;

import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.devservers.Ports;
import io.payrail.devservers.SharedDevServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.vault.core.VaultOperations;

/**
 * A real OpenBao for the platform's tests, set up by {@code infra/vault/setup.sh}, with a client
 * built by {@link VaultConfiguration} as the applications build theirs.
 */
public final class TestVault {

  private static OpenBaoDevServer shared;

  private TestVault() {}

  /** One server per test JVM, stopped when the JVM exits. */
  public static synchronized OpenBaoDevServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "openbao-shutdown"));
    }
    return shared;
  }

  /** A server of the caller's own, for tests that pause it. */
  public static OpenBaoDevServer start() {
    try {
      Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "openbao-");
      Path repo = SharedDevServers.repoRoot();
      return OpenBaoDevServer.start(
          home.resolve("data"),
          repo.resolve(".payrail/tools"),
          home.resolve("logs"),
          repo.resolve("infra/vault"),
          Ports.free());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client with the application's token and policy, and a short read timeout. */
  public static VaultOperations application(OpenBaoDevServer server) {
    return client(server, server.applicationToken());
  }

  /** A client with the root token: Vault's operator. */
  public static VaultOperations root(OpenBaoDevServer server) {
    return client(server, server.rootToken());
  }

  private static VaultOperations client(OpenBaoDevServer server, String token) {
    return new VaultConfiguration()
        .vaultTemplate(
            new VaultProperties(
                URI.create(server.uri()),
                VaultProperties.Authentication.TOKEN,
                token,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
  }
}
