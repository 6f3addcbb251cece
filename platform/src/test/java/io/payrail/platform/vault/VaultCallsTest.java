package io.payrail.platform.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.vault.VaultException;
import org.springframework.web.client.ResourceAccessException;

class VaultCallsTest {

  @Test
  void ioErrorsTimeoutsAndServerErrors_areUnavailable() {
    assertThat(
            VaultCalls.isUnavailable(
                new ResourceAccessException("I/O error", new SocketTimeoutException())))
        .isTrue();
    assertThat(VaultCalls.isUnavailable(new VaultException("Status 503 Service Unavailable [x]")))
        .isTrue();
    assertThat(
            VaultCalls.isUnavailable(
                new IllegalStateException(new VaultException("Status 500 Internal [x]"))))
        .isTrue();
  }

  @Test
  void clientErrors_stayDefects() {
    assertThat(VaultCalls.isUnavailable(new VaultException("Status 403 Forbidden [x]"))).isFalse();
    assertThat(VaultCalls.isUnavailable(new VaultException("Status 400 Bad Request [x]")))
        .isFalse();
    assertThatThrownBy(
            () ->
                VaultCalls.call(
                    "decrypt",
                    () -> {
                      throw new VaultException("Status 400 Bad Request [x]: cipher");
                    }))
        .isExactlyInstanceOf(VaultException.class);
  }

  @Test
  void unavailable_isTranslated_namingTheOperationOnly() {
    assertThatThrownBy(
            () ->
                VaultCalls.call(
                    "encrypt card-data",
                    () -> {
                      throw new ResourceAccessException("secret detail");
                    }))
        .isInstanceOf(VaultUnavailableException.class)
        .hasMessageContaining("encrypt card-data")
        .hasMessageNotContaining("secret detail");
  }
}
