package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real connectivity check of a Redis endpoint: RESP over TCP, {@code AUTH} when a password is
 * given, TLS when a context is given, then {@code PING} expecting {@code +PONG}.
 *
 * <p>With TLS the server's certificate chain is verified against the context's trust (the
 * cluster's CA); the host name is not, because database endpoints are often reached by an address
 * the proxy certificate does not name. The password is sent only on the socket, never logged or
 * put in a message. Stateless and thread-safe.
 */
public final class RedisPing {
  private RedisPing() {}

  /**
   * What answered.
   *
   * @param host the host that answered
   * @param port its port
   * @param tls whether TLS was used
   * @param authenticated whether AUTH was sent
   */
  public record Result(String host, int port, boolean tls, boolean authenticated) {}

  /**
   * PINGs the first of {@code hosts} that can be reached.
   *
   * @param hosts the hosts to try in order (a DNS name that does not resolve is passed over)
   * @param port the endpoint's port
   * @param password the password for {@code AUTH}, or null for none
   * @param tls the TLS context, or null for plain TCP
   * @param timeout the connect and read timeout
   * @throws WorkflowException of kind AUTH when the password is refused or one is needed (not
   *     retryable), CONNECTION when no host answers (retryable), PROTOCOL for an unexpected reply
   */
  public static Result ping(
      List<String> hosts, int port, Secret password, SSLContext tls, Duration timeout) {
    if (hosts == null || hosts.isEmpty()) {
      throw new IllegalArgumentException("hosts must not be empty");
    }
    var failures = new ArrayList<String>();
    IOException last = null;
    for (String host : hosts) {
      try {
        return pingOne(host, port, password, tls, timeout);
      } catch (UnknownHostException e) {
        failures.add(host + ": unknown host");
        last = e;
      } catch (IOException e) {
        failures.add(host + ":" + port + ": " + e.getMessage());
        last = e;
      }
    }
    throw new WorkflowException(ErrorKind.CONNECTION,
        "cannot reach the Redis endpoint on port " + port + " (" + String.join("; ", failures)
            + ")", last, true, Map.of("port", port, "hosts", hosts), List.of(
                "check that the database endpoint is reachable from here (firewall, DNS)"));
  }

  private static Result pingOne(
      String host, int port, Secret password, SSLContext tls, Duration timeout)
      throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket plain = new Socket();
    try (plain) {
      plain.connect(new InetSocketAddress(host, port), millis);
      plain.setSoTimeout(millis);
      final Socket socket;
      if (tls != null) {
        SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        secured.startHandshake();
        socket = secured;
      } else {
        socket = plain;
      }
      try (socket) {
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String where = host + ":" + port;
        if (password != null) {
          write(out, "AUTH", password.reveal());
          String reply = readLine(in);
          if (!"+OK".equals(reply)) {
            throw new WorkflowException(ErrorKind.AUTH, "Redis at " + where
                + " refused the database password: " + firstWord(reply), null, false,
                Map.of("endpoint", where), List.of("check the database's password"));
          }
        }
        write(out, "PING");
        String reply = readLine(in);
        if ("+PONG".equals(reply)) {
          return new Result(host, port, tls != null, password != null);
        }
        if (reply.startsWith("-NOAUTH")) {
          throw new WorkflowException(ErrorKind.AUTH, "Redis at " + where
              + " requires a password and none was given", null, false,
              Map.of("endpoint", where), List.of("give the database's password"));
        }
        throw new WorkflowException(ErrorKind.PROTOCOL, "Redis at " + where
            + " answered PING with '" + reply + "' instead of +PONG");
      }
    }
  }

  private static String firstWord(String reply) {
    // Error replies are "-WRONGPASS invalid username-password pair": the code is enough.
    int space = reply.indexOf(' ');
    return space < 0 ? reply : reply.substring(0, space);
  }

  private static void write(OutputStream out, String... args) throws IOException {
    var buffer = new ByteArrayOutputStream();
    buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      buffer.writeBytes(bytes);
      buffer.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(buffer.toByteArray());
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      if (line.size() > 64 * 1024) {
        throw new IOException("reply line longer than 64 KiB");
      }
      line.write(b);
      previous = b;
    }
  }
}
