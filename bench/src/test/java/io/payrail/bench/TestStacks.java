package io.payrail.bench;

import io.payrail.devservers.DevServersSettings;
import io.payrail.localstack.LocalStack;
import io.payrail.localstack.LocalStackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The whole local stack for one test class: free ports, data and logs under target/. */
final class TestStacks {

  private TestStacks() {}

  static LocalStack start(String name, Map<String, String> applicationProperties)
      throws IOException {
    // Under target/, not a temporary folder: the logs stay for a look after a failure.
    Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), name + "-");
    return LocalStack.start(
        new LocalStackSettings(
            DevServersSettings.onFreePorts(home, repoRoot()),
            Path.of(System.getProperty("payrail.api.jar")),
            Path.of(System.getProperty("payrail.workers.jar")),
            0,
            0,
            applicationProperties));
  }

  static Path repoRoot() {
    return Path.of(System.getProperty("payrail.repo.root", "..")).toAbsolutePath().normalize();
  }
}
