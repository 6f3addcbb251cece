package io.payrail.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The production defaults refuse plain http and private targets; only the settings the local
 * profile turns on allow them.
 */
class EndpointGuardTest {

  private final EndpointGuard production = new EndpointGuard(false, false);
  private final EndpointGuard local = new EndpointGuard(true, true);

  @Test
  void production_refusesPlainHttp() {
    assertThat(production.refusal("http://93.184.215.14/hooks")).isEqualTo("the URL must be https");
  }

  @Test
  void production_acceptsHttpsToAPublicAddress() {
    assertThat(production.refusal("https://93.184.215.14/hooks")).isNull();
  }

  @Test
  void production_refusesLoopbackPrivateAndLinkLocalTargets() {
    for (String url :
        new String[] {
          "https://127.0.0.1/hooks",
          "https://10.1.2.3/hooks",
          "https://192.168.0.10/hooks",
          "https://169.254.169.254/latest/meta-data",
          "https://100.64.0.1/hooks",
          "https://[::1]/hooks",
          "https://[fd00::1]/hooks"
        }) {
      assertThat(production.refusal(url)).as(url).contains("private, loopback or link-local");
    }
  }

  @Test
  void production_refusesOtherSchemesAndCredentials() {
    assertThat(production.refusal("ftp://93.184.215.14/")).isEqualTo("the URL must be https");
    assertThat(production.refusal("https://user:pw@93.184.215.14/"))
        .isEqualTo("the URL must name a host, without credentials");
    assertThat(production.refusal("not a url")).isNotNull();
  }

  @Test
  void localProfile_allowsHttpOnLoopback() {
    assertThat(local.refusal("http://127.0.0.1:8081/hooks")).isNull();
    assertThat(local.refusal("ftp://127.0.0.1/")).isEqualTo("the URL must be http or https");
  }
}
