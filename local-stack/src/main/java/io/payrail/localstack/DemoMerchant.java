package io.payrail.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo merchant of the local stack, created through the api's admin endpoint on the first run.
 * Its test key is shown once by the api, so the launcher keeps it in the home folder (readable by
 * the owner only) to print it on every run; a kept key that no longer works is replaced.
 */
public record DemoMerchant(String id, String apiKey) {

  static final String NAME = "Demo Merchant";
  static final String EMAIL = "demo-merchant@payrail.local";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern MERCHANT_ID =
      Pattern.compile("\"id\"\\s*:\\s*\"(mer_[A-Za-z0-9]+)\"");
  private static final Pattern SECRET =
      Pattern.compile("\"secret\"\\s*:\\s*\"(sk_test_[A-Za-z0-9]+)\"");

  static DemoMerchant ensure(Path file, String apiUrl, String adminToken) {
    DemoMerchant kept = read(file);
    if (kept != null && kept.works(apiUrl)) {
      return kept;
    }
    DemoMerchant created = create(apiUrl, adminToken);
    write(file, created);
    return created;
  }

  private boolean works(String apiUrl) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/v1/merchant"))
                .header("Authorization", "Bearer " + apiKey)
                .GET());
    return response.statusCode() == 200 && response.body().contains(id);
  }

  private static DemoMerchant create(String apiUrl, String adminToken) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/admin/v1/merchants"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + NAME + "\",\"email\":\"" + EMAIL + "\"}")));
    Matcher id = MERCHANT_ID.matcher(response.body());
    Matcher secret = SECRET.matcher(response.body());
    if (response.statusCode() != 201 || !id.find() || !secret.find()) {
      throw new IllegalStateException(
          "could not create the demo merchant: " + response.statusCode() + " " + response.body());
    }
    // Receipts on, so that a payment with a customer email shows its receipt in the local inbox.
    HttpResponse<String> settings =
        send(
            HttpRequest.newBuilder(URI.create(apiUrl + "/v1/merchant"))
                .header("Authorization", "Bearer " + secret.group(1))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"receipts\":{\"payments\":true,\"refunds\":true}}")));
    if (settings.statusCode() != 200) {
      throw new IllegalStateException(
          "could not turn the demo merchant's receipts on: " + settings.statusCode());
    }
    return new DemoMerchant(id.group(1), secret.group(1));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("the api did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static DemoMerchant read(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      return null;
    }
    String id = properties.getProperty("merchant.id");
    String key = properties.getProperty("merchant.api-key");
    return id == null || key == null ? null : new DemoMerchant(id, key);
  }

  private static void write(Path file, DemoMerchant merchant) {
    Properties properties = new Properties();
    properties.setProperty("merchant.id", merchant.id());
    properties.setProperty("merchant.api-key", merchant.apiKey());
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties.store(writer, "The local stack's demo merchant; a test key, never a live one");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not keep the demo merchant in " + file, e);
    }
  }
}
