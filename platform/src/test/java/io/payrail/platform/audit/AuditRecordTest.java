package io.payrail.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical encoding docs/audit.md documents, and what may never enter a record. */
class AuditRecordTest {

  private static final AuditActor BOOTSTRAP =
      new AuditActor("bootstrap", "bootstrap", "bootstrap", "bootstrap", "admin");

  @Test
  void hash_isSha256OfTheDocumentedEncoding() {
    Map<String, Object> after = new HashMap<>();
    after.put("name", "Café \"Zoë\"\n");
    after.put("email", null);
    AuditRecord record =
        AuditRecord.next(
            1,
            Instant.parse("2026-11-24T20:50:51.123456789Z"),
            BOOTSTRAP,
            "merchant.created",
            AuditTarget.of("merchant", "mer_1"),
            "req_1",
            AuditChanges.created(after).canonicalJson(),
            AuditRecord.GENESIS);

    assertThat(record.canonicalEncoding())
        .isEqualTo(
            "{\"action\":\"merchant.created\",\"actor\":{\"credential_id\":\"bootstrap\","
                + "\"id\":\"bootstrap\",\"kind\":\"bootstrap\",\"name\":\"bootstrap\","
                + "\"role\":\"admin\"},\"changes\":{\"after\":{\"email\":null,"
                + "\"name\":\"Café \\\"Zoë\\\"\\n\"},\"before\":{}},"
                + "\"occurred_at\":\"2026-11-24T20:50:51.123456Z\",\"prev_hash\":\""
                + "0".repeat(64)
                + "\",\"request_id\":\"req_1\",\"seq\":1,"
                + "\"target\":{\"id\":\"mer_1\",\"type\":\"merchant\"}}");
    // Computed by sha256sum over the same text, outside Java.
    assertThat(record.hash())
        .isEqualTo("732c8ea3f69951365855dc23a21e0a1821195ea187fd471d9add804e59530d37");
  }

  @Test
  void hash_changesWithAnyField() {
    AuditRecord record = record("merchant.created", "req_1");

    assertThat(record("merchant.created", "req_2").hash()).isNotEqualTo(record.hash());
    assertThat(record("merchant.deleted", "req_1").hash()).isNotEqualTo(record.hash());
    assertThat(record("merchant.created", null).hash()).isNotEqualTo(record.hash());
  }

  @Test
  void canonicalJson_sortsKeysAndWritesNoSpace() {
    assertThat(CanonicalJson.encode(Map.of("b", 1L, "a", List.of("x", true), "A", Map.of())))
        .isEqualTo("{\"A\":{},\"a\":[\"x\",true],\"b\":1}");
    assertThat(CanonicalJson.encode("tab\there\u0001")).isEqualTo("\"tab\\there\\u0001\"");
  }

  @Test
  void canonicalJson_refusesWhatHasNoSingleSpelling() {
    assertThatThrownBy(() -> CanonicalJson.encode(new BigDecimal("1.0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.encode(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalJson_writesWhatPostgresCannotStoreAsTheReplacementCharacter() {
    assertThat(CanonicalJson.encode("a\ud800b\u0000c\ud83d\ude00"))
        .isEqualTo("\"a\ufffdb\ufffdc\ud83d\ude00\"");
  }

  @Test
  void changes_refuseFieldsThatHoldSecretsOrCardData() {
    for (String field :
        List.of("secret", "signing_secret", "password", "card_number", "number", "cvc", "pan")) {
      assertThatThrownBy(() -> AuditChanges.created(Map.of(field, "x")))
          .as(field)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("never");
    }
    assertThatThrownBy(
            () -> AuditChanges.created(Map.of("endpoint", List.of(Map.of("secret", "whsec_x")))))
        .as("nested")
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(AuditChanges.created(Map.of("company", "x", "prefix", "sk_test_ab")).after())
        .containsKeys("company", "prefix");
  }

  private static AuditRecord record(String action, String requestId) {
    return AuditRecord.next(
        7,
        Instant.parse("2026-01-01T00:00:00Z"),
        BOOTSTRAP,
        action,
        AuditTarget.of("merchant", "mer_1"),
        requestId,
        AuditChanges.created(Map.of("name", "x")).canonicalJson(),
        AuditRecord.GENESIS);
  }
}
