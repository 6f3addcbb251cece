package io.payrail.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BearerAuthenticationFilterTest {

  @Test
  void credential_fromBearerHeader() {
    assertThat(BearerAuthenticationFilter.credential("Bearer sk_test_abc"))
        .isEqualTo("sk_test_abc");
    assertThat(BearerAuthenticationFilter.credential("bearer  sk_test_abc "))
        .isEqualTo("sk_test_abc");
  }

  @Test
  void credential_fromBasicUserName_likeCurlDashU() {
    String header =
        "Basic "
            + Base64.getEncoder().encodeToString("sk_test_abc:".getBytes(StandardCharsets.UTF_8));
    assertThat(BearerAuthenticationFilter.credential(header)).isEqualTo("sk_test_abc");
  }

  @Test
  void credential_absentOrUnusable() {
    assertThat(BearerAuthenticationFilter.credential(null)).isNull();
    assertThat(BearerAuthenticationFilter.credential("Digest abc")).isNull();
    assertThat(BearerAuthenticationFilter.credential("Basic %%%not-base64")).isNull();
  }
}
