package io.payrail.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayrailSearchAttributesTest {

  private static final Path REGISTERED =
      Path.of("..", "infra", "temporal", "search-attributes.txt");

  @Test
  void codeUsesExactlyTheAttributesTheClusterRegisters() throws IOException {
    List<String> registered =
        Files.readAllLines(REGISTERED).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();

    List<String> declared =
        PayrailSearchAttributes.ALL.stream()
            .map(key -> key.getName() + " " + indexedType(key.getValueType().name()))
            .toList();

    assertThat(declared).containsExactlyElementsOf(registered);
  }

  /** The SDK's enum names (INDEXED_VALUE_TYPE_KEYWORD) in the CLI's spelling (Keyword). */
  private static String indexedType(String sdkName) {
    String bare = sdkName.replace("INDEXED_VALUE_TYPE_", "");
    return switch (bare) {
      case "DATETIME" -> "Datetime";
      case "KEYWORD_LIST" -> "KeywordList";
      default -> bare.charAt(0) + bare.substring(1).toLowerCase(java.util.Locale.ROOT);
    };
  }
}
