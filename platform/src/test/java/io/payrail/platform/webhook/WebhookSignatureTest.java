package io.payrail.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"payment.succeeded\"}";
  private static final Duration TOLERANCE = WebhookSignature.DEFAULT_TOLERANCE;

  @Test
  void signedBody_verifiesWithItsSecret_andWithNothingElse() {
    String header = WebhookSignature.sign(List.of("whsec_a"), NOW, BODY);

    assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
    assertThat(WebhookSignature.verify(header, BODY, "whsec_a", TOLERANCE, NOW)).isTrue();
    assertThat(WebhookSignature.verify(header, BODY, "whsec_b", TOLERANCE, NOW)).isFalse();
    assertThat(WebhookSignature.verify(header, BODY + " ", "whsec_a", TOLERANCE, NOW)).isFalse();
  }

  @Test
  void aReplayOlderThanTheTolerance_isRefused() {
    String header = WebhookSignature.sign(List.of("whsec_a"), NOW, BODY);

    assertThat(
            WebhookSignature.verify(
                header, BODY, "whsec_a", TOLERANCE, NOW.plus(Duration.ofMinutes(4))))
        .isTrue();
    assertThat(
            WebhookSignature.verify(
                header, BODY, "whsec_a", TOLERANCE, NOW.plus(Duration.ofMinutes(6))))
        .isFalse();
  }

  @Test
  void duringASecretRoll_eitherSecretVerifies() {
    String header = WebhookSignature.sign(List.of("whsec_new", "whsec_old"), NOW, BODY);

    assertThat(WebhookSignature.verify(header, BODY, "whsec_new", TOLERANCE, NOW)).isTrue();
    assertThat(WebhookSignature.verify(header, BODY, "whsec_old", TOLERANCE, NOW)).isTrue();
  }

  @Test
  void malformedHeaders_areRefused() {
    for (String header : new String[] {null, "", "t=abc,v1=00", "v1=00", "t=1764000000"}) {
      assertThat(WebhookSignature.verify(header, BODY, "whsec_a", TOLERANCE, NOW))
          .as(String.valueOf(header))
          .isFalse();
    }
  }
}
