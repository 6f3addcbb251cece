package io.payrail.api.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  @Test
  void newTestKey_hasStripeShapeAndPassesTheCheapCheck() {
    String key = ApiKeys.newTestKey();

    assertThat(key).startsWith("sk_test_").hasSize(48).matches("sk_test_[0-9A-Za-z]{40}");
    assertThat(ApiKeys.looksLikeKey(key)).isTrue();
    assertThat(ApiKeys.visiblePrefix(key)).isEqualTo(key.substring(0, 12));
  }

  @Test
  void newTestKey_neverRepeats() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      keys.add(ApiKeys.newTestKey());
    }
    assertThat(keys).hasSize(10_000);
  }

  @Test
  void hash_isSha256_stableAndKeySpecific() {
    String key = ApiKeys.newTestKey();

    assertThat(ApiKeys.hash(key)).hasSize(32).isEqualTo(ApiKeys.hash(key));
    assertThat(ApiKeys.hash(key)).isNotEqualTo(ApiKeys.hash(ApiKeys.newTestKey()));
  }

  @Test
  void looksLikeKey_rejectsWhatCannotBeAKey() {
    assertThat(ApiKeys.looksLikeKey(null)).isFalse();
    assertThat(ApiKeys.looksLikeKey("")).isFalse();
    assertThat(ApiKeys.looksLikeKey("sk_live_" + "a".repeat(40))).isFalse();
    assertThat(ApiKeys.looksLikeKey("sk_test_" + "a".repeat(39))).isFalse();
    assertThat(ApiKeys.looksLikeKey("sk_test_" + "a".repeat(39) + "é")).isFalse();
    assertThat(ApiKeys.looksLikeKey("sk_test_" + "a".repeat(39) + "'")).isFalse();
  }

  @Test
  void newId_hasPrefixAndDatabaseShape() {
    assertThat(ApiKeys.newId("mer")).matches("mer_[0-9A-Za-z]{24}");
  }
}
