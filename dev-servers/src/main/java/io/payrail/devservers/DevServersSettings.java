package io.payrail.devservers;

import java.nio.file.Path;

/**
 * Where the dev servers keep their data and which loopback ports they use. A port of 0 means "any
 * free port".
 *
 * @param home all data and logs of one stack: {@code data/<server>} and {@code logs/}
 * @param tools the Temporal and OpenBao CLIs and the PostgreSQL binaries, shared by every stack of
 *     a checkout
 * @param infraTemporal the repository's {@code infra/temporal} folder
 * @param infraVault the repository's {@code infra/vault} folder
 * @param bankPort the acquiring-bank simulator
 * @param notificationsPort the SMS and push provider simulator (HTTP)
 * @param smtpPort its SMTP server
 */
public record DevServersSettings(
    Path home,
    Path tools,
    Path infraTemporal,
    Path infraVault,
    int temporalPort,
    int temporalUiPort,
    int postgresPort,
    int kafkaPort,
    int redisPort,
    int vaultPort,
    int bankPort,
    int notificationsPort,
    int smtpPort) {

  /** Free ports everywhere: what a test wants. */
  public static DevServersSettings onFreePorts(Path home, Path repoRoot) {
    return new DevServersSettings(
        home,
        repoRoot.resolve(".payrail").resolve("tools"),
        repoRoot.resolve("infra").resolve("temporal"),
        repoRoot.resolve("infra").resolve("vault"),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0);
  }

  Path data(String server) {
    return home.resolve("data").resolve(server);
  }

  Path logs() {
    return home.resolve("logs");
  }
}
