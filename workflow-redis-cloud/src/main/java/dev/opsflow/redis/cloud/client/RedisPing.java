package dev.opsflow.redis.cloud.client;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connectivity check of a database: connects to {@code host:port} (over TLS when asked),
 * authenticates with {@code AUTH} when there is a password, and sends {@code PING} over RESP,
 * expecting {@code PONG}. The password is never part of a message. Immutable and thread-safe.
 *
 * <pre>{@code
 * RedisPing.to("redis-12000.example.com:12000").withPassword(secret).withTls(true).ping();
 * }</pre>
 *
 * @param host the host
 * @param port the port
 * @param password the default user's password, or null
 * @param tls the TLS socket factory, or null for plain TCP
 * @param timeout the connect and read timeout
 */
public record RedisPing(
    String host, int port, Secret password, SSLSocketFactory tls, Duration timeout) {

  /**
   * @throws IllegalArgumentException for a blank host or a port outside 1-65535
   */
  public RedisPing {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
    Objects.requireNonNull(timeout, "timeout must not be null");
  }

  /**
   * A check of an endpoint written {@code host:port}, without password or TLS, 10 s timeout.
   *
   * @throws IllegalArgumentException if the endpoint is not {@code host:port}
   */
  public static RedisPing to(String endpoint) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + endpoint + "'");
    }
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + endpoint + "'");
    }
    return new RedisPing(endpoint.substring(0, colon), port, null, null, Duration.ofSeconds(10));
  }

  /** A copy that authenticates with {@code password} (null: none). */
  public RedisPing withPassword(Secret secret) {
    return new RedisPing(host, port, secret, tls, timeout);
  }

  /** A copy over TLS with the JVM's default trust (true) or plain TCP (false). */
  public RedisPing withTls(boolean on) {
    return withTls(on ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null);
  }

  /** A copy over TLS with the given socket factory (its trust decides), or plain TCP for null. */
  public RedisPing withTls(SSLSocketFactory factory) {
    return new RedisPing(host, port, password, factory, timeout);
  }

  /** A copy with another timeout. */
  public RedisPing withTimeout(Duration value) {
    return new RedisPing(host, port, password, tls, value);
  }

  /**
   * Connects, authenticates and pings.
   *
   * @return the server's answer to PING ({@code PONG})
   * @throws WorkflowException of kind CONNECTION when it cannot connect (retryable), AUTH when the
   *     password is missing or wrong, PROTOCOL when the answer is not RESP or not PONG
   */
  public String ping() {
    String where = host + ":" + port;
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    try (Socket socket = open(millis)) {
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null && !password.isEmpty()) {
        out.write(command("AUTH", password.reveal()));
        out.flush();
        String reply = readLine(in);
        if (!reply.startsWith("+OK")) {
          throw new WorkflowException(ErrorKind.AUTH, "AUTH at " + where + " was refused: "
              + errorText(reply), null, false, java.util.Map.of("endpoint", where),
              java.util.List.of("check the database's password"));
        }
      }
      out.write(command("PING"));
      out.flush();
      String reply = readLine(in);
      if (reply.startsWith("-NOAUTH") || reply.startsWith("-WRONGPASS")) {
        throw new WorkflowException(ErrorKind.AUTH, "PING at " + where
            + " needs authentication: " + errorText(reply));
      }
      if (!reply.startsWith("+PONG")) {
        throw new WorkflowException(ErrorKind.PROTOCOL, "PING at " + where
            + " answered '" + errorText(reply) + "' instead of PONG");
      }
      return reply.substring(1);
    } catch (IOException e) {
      throw new WorkflowException(ErrorKind.CONNECTION, "cannot PING " + where
          + (tls != null ? " over TLS" : "") + ": " + e.getMessage(), e);
    }
  }

  private Socket open(int millis) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), millis);
      if (tls == null) {
        return plain;
      }
      SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
      var params = secure.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      secure.setSSLParameters(params);
      secure.setSoTimeout(millis);
      secure.startHandshake();
      return secure;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static byte[] command(String... parts) {
    var sb = new StringBuilder().append('*').append(parts.length).append("\r\n");
    for (String p : parts) {
      sb.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
          .append(p).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    var buf = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a complete reply");
      }
      if (prev == '\r' && b == '\n') {
        byte[] bytes = buf.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      if (buf.size() > 4096) {
        throw new IOException("reply line longer than 4096 bytes");
      }
      buf.write(b);
      prev = b;
    }
  }

  private static String errorText(String reply) {
    String text = reply.length() > 200 ? reply.substring(0, 200) : reply;
    return text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
  }
}
