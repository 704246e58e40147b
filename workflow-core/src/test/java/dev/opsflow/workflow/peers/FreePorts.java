package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free ports on 127.0.0.1, found by binding port 0 and closing the socket.
 *
 * <p>Another process may take the port between this call and the peer's bind; the peers detect
 * "address already in use" and retry with a fresh port.
 */
public final class FreePorts {

  private static final InetAddress LOOPBACK = loopbackAddress();

  private FreePorts() {}

  private static InetAddress loopbackAddress() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TCP port that was free on 127.0.0.1 a moment ago. */
  public static int loopback() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(LOOPBACK, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }

  /** A UDP port that was free on 127.0.0.1 a moment ago (for IPMI over LAN). */
  public static int loopbackUdp() {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free UDP port on 127.0.0.1", e);
    }
  }
}
