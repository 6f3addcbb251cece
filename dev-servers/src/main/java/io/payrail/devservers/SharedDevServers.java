package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One set of dev servers per test JVM, started on first use on free ports with a fresh home under
 * {@code target/}, and stopped when the JVM exits. Integration tests point Spring at it:
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void servers(DynamicPropertyRegistry registry) {
 *   SharedDevServers.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
 * }
 * }</pre>
 */
public final class SharedDevServers {

  private static DevServers servers;

  private SharedDevServers() {}

  public static synchronized DevServers get() {
    if (servers == null) {
      servers = DevServers.start(DevServersSettings.onFreePorts(freshHome(), repoRoot()));
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "dev-servers-shutdown"));
    }
    return servers;
  }

  /** The checkout's root: {@code payrail.repo.root}, else the parent of the module folder. */
  public static Path repoRoot() {
    String configured = System.getProperty("payrail.repo.root");
    Path root = configured != null ? Path.of(configured) : Path.of("..");
    return root.toAbsolutePath().normalize();
  }

  private static Path freshHome() {
    try {
      Path target = Path.of("target").toAbsolutePath();
      Files.createDirectories(target);
      return Files.createTempDirectory(target, "dev-servers-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
