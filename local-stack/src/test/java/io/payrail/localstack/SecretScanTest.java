package io.payrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in the repository: every file git tracks is scanned for private keys, live or test API
 * keys, Vault tokens, literal passwords, secrets and tokens in configuration files, and long
 * high-entropy strings in configuration files. Secrets are generated at start-up or read from the
 * environment or Vault (docs/secrets.md). The allow-list below is short and each entry says why; an
 * entry that no longer matches anything fails too, so the list cannot rot.
 */
class SecretScanTest {

  private static final Path ROOT =
      Path.of(System.getProperty("payrail.repo.root", "..")).toAbsolutePath().normalize();

  /** Findings that are not secrets: {@code path} and a substring of the finding's line. */
  private static final Map<String, String> ALLOWED = Map.of();

  /** Anywhere, in any file. */
  private static final Map<String, Pattern> EVERYWHERE =
      Map.of(
          "private key", Pattern.compile("-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
          "API key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
          "Vault token", Pattern.compile("\\b(?:hvs|hvb|s)\\.[A-Za-z0-9]{24,}\\b"),
          "AWS access key", Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"));

  /** A setting whose name says secret, given a value, in a configuration file. */
  private static final Pattern SECRET_SETTING =
      Pattern.compile(
          "(?i)^\\s*[\"']?([\\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|credential"
              + "|private[_-]?key)[\\w.-]*)[\"']?\\s*[:=]\\s*(.*?)\\s*,?\\s*$");

  /** Values that are not secrets: references, placeholders, empties, numbers, durations, flags. */
  private static final Pattern HARMLESS_VALUE =
      Pattern.compile(
          "(?i)^[\"']?(?:\\$\\{[^}]*}|\\$[A-Z_]+|<[^>]*>|null|~|true|false|-|[0-9]+[smhd]?"
              + "|https?://\\S*|classpath:\\S*)?[\"']?$");

  private static final Pattern CANDIDATE = Pattern.compile("[A-Za-z0-9+/=_-]{32,}");

  private static final Set<String> CONFIG_SUFFIXES =
      Set.of(".yml", ".yaml", ".properties", ".json", ".env", ".hcl", ".conf", ".toml");

  @Test
  void repository_holdsNoSecret() {
    List<String> findings = new ArrayList<>();
    Map<String, Boolean> allowUsed = new HashMap<>();
    ALLOWED.keySet().forEach(path -> allowUsed.put(path, false));
    for (Path file : trackedFiles(ROOT)) {
      String relative = ROOT.relativize(file).toString();
      for (String finding : scan(file)) {
        String allowed = ALLOWED.get(relative);
        if (allowed != null && finding.contains(allowed)) {
          allowUsed.put(relative, true);
        } else {
          findings.add(relative + ": " + finding);
        }
      }
    }

    assertThat(findings).as("secrets in tracked files").isEmpty();
    assertThat(allowUsed)
        .as("allow-list entries that match nothing any more")
        .doesNotContainValue(false);
  }

  @Test
  void plantedSecrets_areFound(@TempDir Path dir) throws IOException {
    String key = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEow\n";
    Map<String, String> planted =
        Map.of(
            "id_rsa.txt",
            key,
            "Client.java",
            "String key = \"sk_" + "live_4eC39HqLyjWDarjtT1zdp7dc\";",
            "application.yml",
            "spring:\n  datasource:\n    password: hunter2hunter2\n",
            "settings.properties",
            "payrail.admin.token=0123456789abcdef0123\n",
            "realm.json",
            "{\n  \"clientSecret\": \"very-secret-value\"\n}\n",
            "compose.env",
            "NOTE=" + "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8xMjM0\n");

    for (var entry : planted.entrySet()) {
      Path file = dir.resolve(entry.getKey());
      Files.writeString(file, entry.getValue());
      assertThat(scan(file)).as(entry.getKey()).isNotEmpty();
    }
  }

  @Test
  void references_placeholdersAndDurations_areNotSecrets(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("application.yml");
    Files.writeString(
        file,
        """
        spring:
          datasource:
            password: ${PAYRAIL_DB_PASSWORD:?set it}
        payrail:
          vault:
            token:
          admin:
            token-ttl: 30m
        secret-path: <from Vault>
        """);

    assertThat(scan(file)).isEmpty();
  }

  /** What in one file looks like a secret, each as {@code rule: line}. */
  static List<String> scan(Path file) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException binary) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> findings = new ArrayList<>();
    boolean config = isConfig(file);
    for (String line : text.split("\n")) {
      EVERYWHERE.forEach(
          (rule, pattern) -> {
            if (pattern.matcher(line).find()) {
              findings.add(rule + ": " + line.strip());
            }
          });
      if (!config) {
        continue;
      }
      Matcher setting = SECRET_SETTING.matcher(line);
      if (setting.matches() && !HARMLESS_VALUE.matcher(setting.group(2)).matches()) {
        findings.add("literal secret setting: " + line.strip());
      }
      Matcher candidate = CANDIDATE.matcher(line);
      while (candidate.find()) {
        if (entropy(candidate.group()) >= 4.3) {
          findings.add("high-entropy string: " + line.strip());
        }
      }
    }
    return findings;
  }

  private static boolean isConfig(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return CONFIG_SUFFIXES.stream().anyMatch(name::endsWith)
        || name.startsWith("docker-compose")
        || name.startsWith("dockerfile");
  }

  /** Shannon entropy in bits per character: random base64 is near 6, words and paths near 3-4. */
  static double entropy(String text) {
    Map<Character, Integer> counts = new HashMap<>();
    for (char c : text.toCharArray()) {
      counts.merge(c, 1, Integer::sum);
    }
    double bits = 0;
    for (int count : counts.values()) {
      double p = (double) count / text.length();
      bits -= p * (Math.log(p) / Math.log(2));
    }
    return bits;
  }

  /** {@code git ls-files}; without git (an exported tree), every file outside build output. */
  private static List<Path> trackedFiles(Path root) {
    try {
      Process git =
          new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z")
              .redirectErrorStream(false)
              .start();
      byte[] out = git.getInputStream().readAllBytes();
      if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
        return Stream.of(new String(out, StandardCharsets.UTF_8).split("\0"))
            .filter(name -> !name.isEmpty())
            .map(root::resolve)
            .filter(Files::isRegularFile)
            .toList();
      }
    } catch (IOException notAGitCheckout) {
      // fall through to walking the tree
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              path -> {
                String relative = root.relativize(path).toString();
                return !relative.matches("(?:.*/)?(?:target|\\.payrail|\\.git|\\.idea)/.*");
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
