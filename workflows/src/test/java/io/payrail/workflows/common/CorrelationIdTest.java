package io.payrail.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"req_8f2c1", "0b7e-41d2.a", "A"})
  void isAcceptable_plainIds(String id) {
    assertThat(CorrelationId.isAcceptable(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "line\nbreak",
        "{\"json\":1}",
        "é",
        "x12345678901234567890123456789012345678901234567890123456789012345"
      })
  void isAcceptable_rejectsWhatCouldForgeOrFloodALogLine(String id) {
    assertThat(CorrelationId.isAcceptable(id)).isFalse();
  }
}
