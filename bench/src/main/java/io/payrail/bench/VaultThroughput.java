package io.payrail.bench;

import io.payrail.devservers.OpenBaoDevServer;
import io.payrail.devservers.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What sealing a card costs with Vault, to choose between transit encryption (a call to Vault per
 * card) and envelope encryption (a data key from Vault's {@code transit/datakey}, kept unwrapped in
 * memory, and AES-GCM in the JVM). Starts its own OpenBao dev server, set up by {@code
 * infra/vault/setup.sh}, and prints operations per second for each, single-threaded and with 4
 * threads, each run for a fixed time. The figures in docs/secrets.md come from here:
 *
 * <pre>{@code
 * ./mvnw -B -q -DskipTests package -pl bench -am
 * java -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.payrail.bench.VaultThroughput .
 * }</pre>
 */
public final class VaultThroughput {

  private static final Duration RUN = Duration.ofSeconds(3);
  private static final String NUMBER = "4000056655665556";
  private static final Pattern FIELD =
      Pattern.compile("\"(ciphertext|plaintext)\"\\s*:\\s*\"([^\"]+)\"");

  private final OpenBaoDevServer vault;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private VaultThroughput(OpenBaoDevServer vault) {
    this.vault = vault;
  }

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("payrail-vault-bench-");
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    try (OpenBaoDevServer vault =
        OpenBaoDevServer.start(
            home.resolve("data"),
            repo.resolve(".payrail/tools"),
            home.resolve("logs"),
            repo.resolve("infra/vault"),
            Ports.free())) {
      VaultThroughput bench = new VaultThroughput(vault);
      String sealed = bench.transitEncrypt();
      byte[] dataKey = bench.dataKey();
      for (int threads : new int[] {1, 4}) {
        report("transit encrypt", threads, measure(threads, bench::transitEncrypt));
        report("transit decrypt", threads, measure(threads, () -> bench.transitDecrypt(sealed)));
        report(
            "envelope encrypt (AES-GCM in the JVM)",
            threads,
            measure(threads, () -> seal(dataKey)));
      }
      report("transit datakey (one per data key)", 1, measure(1, bench::dataKey));
    }
  }

  private String transitEncrypt() throws Exception {
    return field(
        post(
            "/v1/transit/encrypt/card-data",
            "{\"plaintext\":\"%s\",\"context\":\"%s\"}"
                .formatted(base64(NUMBER), base64("card_bench/number"))),
        "ciphertext");
  }

  private String transitDecrypt(String ciphertext) throws Exception {
    return field(
        post(
            "/v1/transit/decrypt/card-data",
            "{\"ciphertext\":\"%s\",\"context\":\"%s\"}"
                .formatted(ciphertext, base64("card_bench/number"))),
        "plaintext");
  }

  /**
   * A fresh 256-bit data key, as envelope encryption would fetch one (wrapped copy discarded). With
   * the root token: the application's policy does not allow data keys, since Payrail does not use
   * them.
   */
  private byte[] dataKey() throws Exception {
    String answer =
        post(
            "/v1/transit/datakey/plaintext/card-data",
            "{\"context\":\"%s\"}".formatted(base64("data-key")),
            vault.rootToken());
    return Base64.getDecoder().decode(field(answer, "plaintext"));
  }

  private static byte[] seal(byte[] dataKey) throws Exception {
    byte[] nonce = new byte[12];
    new SecureRandom().nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD("card_bench/number".getBytes(StandardCharsets.UTF_8));
    return cipher.doFinal(NUMBER.getBytes(StandardCharsets.US_ASCII));
  }

  private String post(String path, String body) throws Exception {
    return post(path, body, vault.applicationToken());
  }

  private String post(String path, String body, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(vault.uri() + path))
                .timeout(Duration.ofSeconds(3))
                .header("X-Vault-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return response.body();
  }

  private static double measure(int threads, Callable<?> operation) throws Exception {
    long deadline = System.nanoTime() + RUN.toNanos();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Long>> counts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        counts.add(
            pool.submit(
                () -> {
                  long done = 0;
                  while (System.nanoTime() < deadline) {
                    operation.call();
                    done++;
                  }
                  return done;
                }));
      }
      long total = 0;
      for (Future<Long> count : counts) {
        total += count.get();
      }
      return total / (RUN.toNanos() / 1e9);
    }
  }

  private static void report(String what, int threads, double perSecond) {
    System.out.printf("%-40s %d thread(s): %,10.0f ops/s%n", what, threads, perSecond);
  }

  private static String field(String json, String name) {
    Matcher matcher = FIELD.matcher(json);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return matcher.group(2);
      }
    }
    throw new IllegalStateException("no " + name + " in Vault's answer");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
