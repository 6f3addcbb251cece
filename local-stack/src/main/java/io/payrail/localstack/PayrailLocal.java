package io.payrail.localstack;

import io.payrail.devservers.HomeLock;
import java.nio.file.Path;

/**
 * {@code ./payrail run}: starts the local stack, prints where everything is, and runs until Ctrl-C,
 * which stops every process it started.
 */
public final class PayrailLocal {

  private PayrailLocal() {}

  public static void main(String[] args) throws InterruptedException {
    Path repoRoot =
        Path.of(System.getProperty("payrail.repo.root", ".")).toAbsolutePath().normalize();
    LocalStack stack;
    try {
      stack = LocalStack.start(LocalStackSettings.fromEnvironment(System.getenv(), repoRoot));
    } catch (HomeLock.AlreadyRunningException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      // Whatever had started is stopped already; say what failed, without a stack trace.
      System.err.println("Payrail could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Payrail...");
                  stack.close();
                },
                "payrail-shutdown"));
    System.out.println(Banner.of(stack));
    watch(stack);
  }

  /** Exits (stopping everything through the shutdown hook) if an application dies on its own. */
  private static void watch(LocalStack stack) throws InterruptedException {
    while (true) {
      Thread.sleep(1000);
      if (!stack.api().isAlive() || !stack.workers().isAlive()) {
        var dead = stack.api().isAlive() ? stack.workers() : stack.api();
        System.err.println("An application exited on its own; see " + dead.logFile());
        System.exit(1);
      }
    }
  }
}
