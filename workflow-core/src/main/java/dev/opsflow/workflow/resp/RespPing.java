package dev.opsflow.workflow.resp;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * A real connectivity check of a Redis endpoint: RESP over TCP (or TLS), {@code AUTH [user]
 * password} when a password is given, then {@code PING} expecting {@code +PONG}. The hosts are
 * tried in order (a DNS name, then the endpoint's addresses); the first one that answers decides.
 *
 * <pre>{@code
 * RespPing.to("redis-12000.example.com:12000").withPassword(secret)
 *     .withTls(TlsContexts.sslContext(trust)).ping();
 * }</pre>
 *
 * <p>With TLS the server's certificate chain is verified against the context's trust and, unless
 * {@link #withoutHostnameVerification()} was asked for, its name against the host connected to. The
 * password is sent only on the socket: never logged, never part of a message.
 *
 * <p>Immutable and thread-safe; {@link #ping()} may be called from several threads at once.
 *
 * @param hosts the hosts to try in order, never empty
 * @param port the endpoint's port, 1-65535
 * @param username the ACL user for {@code AUTH}, or null for the default user
 * @param password the password for {@code AUTH}, or null (or empty) for none
 * @param tls the TLS context, or null for plain TCP
 * @param verifyHostname whether TLS checks the certificate names the host (ignored without TLS)
 * @param timeout the connect, handshake and read timeout for each host, positive
 */
public record RespPing(
    List<String> hosts,
    int port,
    String username,
    Secret password,
    SSLContext tls,
    boolean verifyHostname,
    Duration timeout) {
  /** The timeout of {@link #to(String)} and {@link #to(List, int)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Checks the hosts, port and timeout.
   *
   * @param hosts the hosts to try in order, never empty
   * @param port the endpoint's port, 1-65535
   * @param username the ACL user for {@code AUTH}, or null for the default user
   * @param password the password for {@code AUTH}, or null (or empty) for none
   * @param tls the TLS context, or null for plain TCP
   * @param verifyHostname whether TLS checks the certificate names the host (ignored without TLS)
   * @param timeout the connect, handshake and read timeout for each host, positive
   * @throws IllegalArgumentException for no hosts, a blank host, a port outside 1-65535, a blank
   *     username or a timeout that is not positive
   */
  public RespPing {
    if (hosts == null || hosts.isEmpty()) {
      throw new IllegalArgumentException("hosts must not be empty");
    }
    if (hosts.stream().anyMatch(h -> h == null || h.isBlank())) {
      throw new IllegalArgumentException("hosts must not be blank, were " + hosts);
    }
    hosts = List.copyOf(hosts);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
    if (username != null && username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank (null for the default user)");
    }
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
  }

  /**
   * A check of an endpoint written {@code host:port} ({@code [v6-address]:port} for IPv6), plain
   * TCP, no password, {@link #DEFAULT_TIMEOUT}.
   *
   * @param endpoint {@code host:port}, or {@code [v6-address]:port}
   * @return the check; nothing is sent until it is called
   * @throws IllegalArgumentException if the endpoint is not {@code host:port}
   */
  public static RespPing to(String endpoint) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + endpoint + "'");
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return to(List.of(host), Integer.parseInt(endpoint.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + endpoint + "'");
    }
  }

  /**
   * A check of {@code port} on the first of {@code hosts} that can be reached, plain TCP, no
   * password, {@link #DEFAULT_TIMEOUT}.
   *
   * @param hosts the hosts to try in order, never empty
   * @param port the endpoint's port, 1-65535
   * @return the check; nothing is sent until it is called
   * @throws IllegalArgumentException for no hosts or a port outside 1-65535
   */
  public static RespPing to(List<String> hosts, int port) {
    return new RespPing(hosts, port, null, null, null, true, DEFAULT_TIMEOUT);
  }

  /**
   * A copy that authenticates the default user with {@code secret} (null: no AUTH).
   *
   * @param secret the default user's password, or null for no AUTH
   * @return a copy that authenticates
   */
  public RespPing withPassword(Secret secret) {
    return new RespPing(hosts, port, null, secret, tls, verifyHostname, timeout);
  }

  /**
   * A copy that authenticates as the ACL user {@code user} ({@code AUTH user password}).
   *
   * @param user the ACL user's name
   * @param secret the user's password
   * @return a copy that authenticates as that user
   * @throws IllegalArgumentException for a blank user
   */
  public RespPing withUser(String user, Secret secret) {
    return new RespPing(hosts, port, user, secret, tls, verifyHostname, timeout);
  }

  /**
   * A copy over TLS with {@code context} (its trust decides), or plain TCP for null.
   *
   * @param context the TLS context whose trust decides, or null for plain TCP
   * @return a copy over TLS (or plain TCP)
   */
  public RespPing withTls(SSLContext context) {
    return new RespPing(hosts, port, username, password, context, verifyHostname, timeout);
  }

  /**
   * {@return a copy whose TLS does not check that the certificate names the host, only that it
   * chains to the context's trust: for endpoints reached by an address the certificate does not
   * name}
   */
  public RespPing withoutHostnameVerification() {
    return new RespPing(hosts, port, username, password, tls, false, timeout);
  }

  /**
   * A copy with another timeout for each host.
   *
   * @param value the time limit of connecting to and asking each host
   * @return a copy with that timeout
   * @throws IllegalArgumentException if it is not positive
   */
  public RespPing withTimeout(Duration value) {
    return new RespPing(hosts, port, username, password, tls, verifyHostname, value);
  }

  /**
   * What answered.
   *
   * @param host the host that answered
   * @param port its port
   * @param tls whether TLS was used
   * @param authenticated whether AUTH was sent and accepted
   */
  public record Result(String host, int port, boolean tls, boolean authenticated) {
    /** {@return {@code host:port}} */
    public String endpoint() {
      return host + ":" + port;
    }
  }

  /**
   * Connects to the first host that can be reached, authenticates and pings.
   *
   * @return what answered {@code +PONG}
   * @throws WorkflowException of kind CONNECTION when no host can be reached or completes the TLS
   *     handshake (retryable; the message lists each {@code host:port} and why), AUTH when the
   *     password is refused or one is needed (not retryable), PROTOCOL when the answer is not
   *     {@code +PONG}
   */
  public Result ping() {
    var failures = new ArrayList<String>();
    IOException last = null;
    for (String host : hosts) {
      try {
        return pingOne(host);
      } catch (UnknownHostException e) {
        failures.add(host + ":" + port + ": unknown host");
        last = e;
      } catch (IOException e) {
        failures.add(
            host
                + ":"
                + port
                + ": "
                + Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
        last = e;
      }
    }
    var suggestions = new ArrayList<String>();
    suggestions.add("check that the endpoint is reachable from here (firewall, DNS) and listening");
    if (last instanceof SSLException) {
      suggestions.add("check the TLS trust (CA certificate) and that the endpoint serves TLS");
    }
    throw new WorkflowException(
        ErrorKind.CONNECTION,
        "cannot reach Redis"
            + (tls != null ? " over TLS" : "")
            + " at "
            + String.join("; ", failures),
        last,
        true,
        Map.of("hosts", hosts, "port", port, "tls", tls != null),
        suggestions);
  }

  private Result pingOne(String host) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket plain = new Socket();
    try (plain) {
      plain.connect(new InetSocketAddress(host, port), millis);
      plain.setSoTimeout(millis);
      Socket socket = tls == null ? plain : handshake(plain, host);
      try (socket) {
        return converse(socket, host);
      }
    }
  }

  private SSLSocket handshake(Socket plain, String host) throws IOException {
    SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
    if (verifyHostname) {
      var params = secured.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      secured.setSSLParameters(params);
    }
    secured.startHandshake();
    return secured;
  }

  private Result converse(Socket socket, String host) throws IOException {
    String where = host + ":" + port;
    OutputStream out = socket.getOutputStream();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    boolean auth = password != null && !password.isEmpty();
    if (auth) {
      RespWire.write(
          out,
          username == null
              ? List.of("AUTH", password.reveal())
              : List.of("AUTH", username, password.reveal()));
      String reply = RespWire.readLine(in);
      if (!"+OK".equals(reply)) {
        throw new WorkflowException(
            ErrorKind.AUTH,
            "Redis at "
                + where
                + " refused AUTH"
                + (username == null ? "" : " as " + username)
                + ": "
                + shown(reply),
            null,
            false,
            Map.of("endpoint", where),
            List.of("check the database's password" + (username == null ? "" : " and user")));
      }
    }
    RespWire.write(out, List.of("PING"));
    String reply = RespWire.readLine(in);
    if ("+PONG".equals(reply)) {
      return new Result(host, port, tls != null, auth);
    }
    if (reply.startsWith("-NOAUTH") || reply.startsWith("-WRONGPASS")) {
      throw new WorkflowException(
          ErrorKind.AUTH,
          "Redis at "
              + where
              + (auth
                  ? " still requires authentication after AUTH: " + shown(reply)
                  : " requires a password and none was given"),
          null,
          false,
          Map.of("endpoint", where),
          List.of("give the database's password"));
    }
    throw new WorkflowException(
        ErrorKind.PROTOCOL,
        "Redis at " + where + " answered PING with '" + shown(reply) + "' instead of +PONG",
        null,
        false,
        Map.of("endpoint", where),
        List.of(
            "check that "
                + where
                + " is a Redis endpoint"
                + (tls == null ? " (and whether it requires TLS)" : "")));
  }

  /** A reply fit for a message: at most 200 characters, printable, never the password. */
  private String shown(String reply) {
    String text = reply.replaceAll("\\p{Cntrl}", "?");
    if (password != null && !password.isEmpty()) {
      text = text.replace(password.reveal(), Secret.MASK);
    }
    text = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
