package io.payrail.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payrail.devservers.SharedDevServers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production profile's HTTPS (application-tls.yml) on a real Tomcat: TLS 1.3 only, HSTS on
 * every response, and a renewed certificate served without a restart. The certificates are made by
 * the JDK's keytool for each run; nothing secret is kept in the repository.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("tls")
class TlsIT {

  @TempDir static Path tls;
  static Certificate first;

  /** Every certificate this test made: the renewal test may run before the others. */
  static final List<Certificate> issued = new java.util.concurrent.CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) throws Exception {
    SharedDevServers.get()
        .springProperties()
        .forEach((key, value) -> registry.add(key, () -> value));
    first = writePair(tls, "first");
    registry.add("PAYRAIL_TLS_CERTIFICATE", () -> "file:" + tls.resolve("tls.crt"));
    registry.add("PAYRAIL_TLS_PRIVATE_KEY", () -> "file:" + tls.resolve("tls.key"));
    registry.add("PAYRAIL_TLS_RELOAD_QUIET_PERIOD", () -> "1s");
  }

  @LocalServerPort int port;

  @Test
  void servesTls13_withHsts() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trusting(issued.toArray(Certificate[]::new)))
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(health.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(hsts -> assertThat(hsts).contains("max-age=31536000"));
  }

  @Test
  void refusesTls12() {
    assertThatThrownBy(() -> handshake("TLSv1.2", issued.toArray(Certificate[]::new)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void refusesPlainHttpOnTheHttpsPort() throws Exception {
    HttpResponse<String> plain =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void renewedCertificate_isServedWithoutRestart() throws Exception {
    Path renewal = Files.createDirectories(tls.resolve("renewal"));
    Certificate second = writePair(renewal, "second");
    // As cert-manager or a deploy script does: the new pair replaces the old files in place.
    Files.move(
        renewal.resolve("tls.key"), tls.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        renewal.resolve("tls.crt"), tls.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);

    Instant deadline = Instant.now().plusSeconds(60);
    Certificate served = handshake("TLSv1.3", first, second);
    while (!served.equals(second) && Instant.now().isBefore(deadline)) {
      TimeUnit.MILLISECONDS.sleep(250);
      served = handshake("TLSv1.3", first, second);
    }

    assertThat(served).isEqualTo(second);
    handshake("TLSv1.3", second);
  }

  /** The certificate the server presents to a client speaking only {@code protocol}. */
  private Certificate handshake(String protocol, Certificate... trusted) throws Exception {
    try (SSLSocket socket =
        (SSLSocket) trusting(trusted).getSocketFactory().createSocket("localhost", port)) {
      socket.setSoTimeout(10_000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext trusting(Certificate... certificates) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      trust.setCertificateEntry("trusted-" + i, certificates[i]);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), new SecureRandom());
    return context;
  }

  /**
   * A self-signed certificate for localhost from the JDK's keytool, written as the PEM pair a
   * certificate manager mounts ({@code tls.crt}, {@code tls.key}).
   */
  private static Certificate writePair(Path dir, String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    ProcessBuilder process =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "payrail",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=localhost, O=Payrail " + name,
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass:env",
                    "STORE_PASSWORD"))
            .redirectErrorStream(true);
    process.environment().put("STORE_PASSWORD", new String(password));
    Process started = process.start();
    String output;
    try (InputStream out = started.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!started.waitFor(60, TimeUnit.SECONDS) || started.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    PrivateKey key = (PrivateKey) keys.getKey("payrail", password);
    X509Certificate certificate = (X509Certificate) keys.getCertificate("payrail");
    Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", certificate.getEncoded()));
    Files.delete(store);
    issued.add(certificate);
    return certificate;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
