package io.payrail.devservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Loopback port helpers. */
public final class Ports {

  private Ports() {}

  /** A port nobody listens on right now, chosen by the kernel. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** {@code preferred} when it is free (or 0 was asked for), another free port otherwise. */
  public static int preferredOrFree(int preferred) {
    return preferred > 0 && isFree(preferred) ? preferred : free();
  }

  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until something accepts connections on the loopback port, or throws. */
  public static void awaitListening(String what, int port, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException notYet) {
        Waiting.pause(Duration.ofMillis(100));
      }
    }
    throw new IllegalStateException(
        what + " did not listen on port " + port + " within " + timeout);
  }
}
