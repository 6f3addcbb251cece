package io.payrail.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  private static String part(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void isJwt_signedAndUnsignedCompactTokens() {
    String header = part("{\"alg\":\"RS256\",\"kid\":\"k\"}");
    String claims = part("{\"sub\":\"s\"}");

    assertThat(Credentials.isJwt(header + "." + claims + ".c2lnbmF0dXJl")).isTrue();
    assertThat(Credentials.isJwt(part("{\"alg\":\"none\"}") + "." + claims + ".")).isTrue();
  }

  @Test
  void isJwt_notForMerchantKeysOrTheAdminTokenOrLookAlikes() {
    assertThat(Credentials.isJwt("sk_test_" + "a".repeat(40))).isFalse();
    assertThat(Credentials.isJwt("0123456789abcdef0123456789abcdef0123456789abcdef")).isFalse();
    assertThat(Credentials.isJwt("a.b.c")).isFalse();
    assertThat(Credentials.isJwt(part("not json") + ".x.y")).isFalse();
    assertThat(Credentials.isJwt(part("{}") + ".only-one-dot")).isFalse();
    assertThat(Credentials.isJwt("%%%.x.y")).isFalse();
    assertThat(Credentials.isJwt(null)).isFalse();
  }
}
