package io.payrail.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenBao dev server keeps its keys across a pause and across a restart on the same folder
 * (backup and restore), and gives the applications a token of the payrail-app policy only.
 */
class OpenBaoDevServerIT {

  private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String PLAINTEXT = "4242424242424242";
  private static final String CONTEXT = "card_test/number";

  @TempDir Path home;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void pauseAndRestart_onSameFolder_keepTheTransitKeys() throws Exception {
    String ciphertext;
    try (OpenBaoDevServer vault = start()) {
      ciphertext = encrypt(vault);
      vault.pause();
      assertThatThrownBy(() -> encrypt(vault)).isInstanceOf(HttpTimeoutException.class);
      vault.resume();
      assertThat(decrypt(vault, ciphertext)).isEqualTo(PLAINTEXT);
    }
    try (OpenBaoDevServer vault = start()) {
      assertThat(decrypt(vault, ciphertext)).isEqualTo(PLAINTEXT);
    }
  }

  @Test
  void applicationToken_mayEncryptButNotExportOrReadTheRootsSecrets() throws Exception {
    try (OpenBaoDevServer vault = start()) {
      assertThat(encrypt(vault)).startsWith("vault:v1:");
      assertThat(
              send(vault, "GET", "/v1/transit/export/encryption-key/card-data", null).statusCode())
          .isEqualTo(403);
      assertThat(send(vault, "GET", "/v1/sys/policies/acl", null).statusCode()).isEqualTo(403);
      assertThat(send(vault, "GET", "/v1/secret/data/payrail/card-fingerprint", null).body())
          .containsPattern("\"key\"\\s*:\\s*\"[A-Za-z0-9+/]{43}=\"");
    }
  }

  private OpenBaoDevServer start() {
    return OpenBaoDevServer.start(
        home.resolve("data"),
        REPO_ROOT.resolve(".payrail/tools"),
        home.resolve("logs"),
        REPO_ROOT.resolve("infra/vault"),
        Ports.free());
  }

  private String encrypt(OpenBaoDevServer vault) throws Exception {
    HttpResponse<String> answer =
        send(
            vault,
            "POST",
            "/v1/transit/encrypt/card-data",
            "{\"plaintext\":\"%s\",\"context\":\"%s\"}"
                .formatted(base64(PLAINTEXT), base64(CONTEXT)));
    assertThat(answer.statusCode()).isEqualTo(200);
    return field(answer.body(), "ciphertext");
  }

  private String decrypt(OpenBaoDevServer vault, String ciphertext) throws Exception {
    HttpResponse<String> answer =
        send(
            vault,
            "POST",
            "/v1/transit/decrypt/card-data",
            "{\"ciphertext\":\"%s\",\"context\":\"%s\"}".formatted(ciphertext, base64(CONTEXT)));
    assertThat(answer.statusCode()).isEqualTo(200);
    return new String(
        Base64.getDecoder().decode(field(answer.body(), "plaintext")), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(OpenBaoDevServer vault, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(vault.uri() + path))
            .timeout(Duration.ofSeconds(2))
            .header("X-Vault-Token", vault.applicationToken())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
    return matcher.group(1);
  }
}
