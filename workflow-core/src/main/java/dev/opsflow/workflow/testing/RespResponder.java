package dev.opsflow.workflow.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A minimal Redis endpoint in this JVM, for machines without {@code redis-server} and for TLS
 * endpoints: RESP over TCP (or TLS) on 127.0.0.1 answering {@code AUTH [default] password}, {@code
 * PING [message]}, {@code ECHO}, {@code HELLO} (RESP2 only) and {@code QUIT}, in the array or the
 * inline form, and refusing everything else. With a password it has {@code requirepass} semantics:
 * other commands answer {@code -NOAUTH} until {@code AUTH} succeeds, and a wrong password answers
 * {@code -WRONGPASS}. Enough for connectivity checks, nothing more.
 *
 * <p>Thread-safe: one thread per connection. {@link #close()} closes the open connections too.
 */
public final class RespResponder implements RedisEndpoint {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_BULK = 1024 * 1024;

  private final ServerSocket server;
  private final byte[] password;
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private boolean closed; // guarded by lock
  private volatile Thread acceptor;

  private RespResponder(ServerSocket server, String password) {
    this.server = server;
    this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Starts a plain-TCP responder on a free loopback port.
   *
   * @param password the password clients must AUTH with, or null for none
   * @return the responder, listening
   * @throws IllegalStateException if no port can be opened
   */
  public static RespResponder start(String password) {
    return start(password, null, 0);
  }

  /**
   * Starts a responder on {@code port} of the loopback address.
   *
   * @param password the password clients must AUTH with, or null for none
   * @param tls a server TLS context, or null for plain TCP
   * @param port a fixed port, or 0 for a free one
   * @return the responder, listening
   * @throws IllegalStateException if the port cannot be opened (it is taken, say)
   */
  public static RespResponder start(String password, SSLContext tls, int port) {
    ServerSocket socket;
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      socket =
          tls == null
              ? new ServerSocket(port, 50, loopback)
              : tls.getServerSocketFactory().createServerSocket(port, 50, loopback);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot open port " + port + " for the RESP responder: " + e.getMessage(), e);
    }
    var responder = new RespResponder(socket, password);
    Thread acceptor = new Thread(responder::accept, "resp-responder-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    responder.acceptor = acceptor;
    acceptor.start();
    return responder;
  }

  @Override
  public int port() {
    return server.getLocalPort();
  }

  @Override
  public String kind() {
    return "responder";
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        synchronized (lock) {
          // A connection accepted while close() ran is never served.
          if (closed) {
            client.close();
            return;
          }
          clients.add(client);
        }
        Thread worker = new Thread(() -> serve(client), "resp-client-" + port());
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      boolean authenticated = password == null;
      for (List<String> command = readCommand(in); command != null; command = readCommand(in)) {
        if (command.isEmpty()) {
          continue;
        }
        String name = command.get(0).toUpperCase(Locale.ROOT);
        if (name.equals("QUIT")) {
          write(out, "+OK");
          return;
        }
        String reply;
        if (name.equals("AUTH")) {
          reply = auth(command);
          authenticated |= reply.equals("+OK");
        } else if (!authenticated) {
          reply = "-NOAUTH Authentication required.";
        } else {
          reply = answer(name, command);
        }
        write(out, reply);
      }
    } catch (IOException | RuntimeException e) {
      // A client that goes away or speaks nonsense just loses its connection.
    } finally {
      clients.remove(client);
    }
  }

  private String auth(List<String> command) {
    if (command.size() < 2 || command.size() > 3) {
      return "-ERR wrong number of arguments for 'auth' command";
    }
    if (password == null) {
      return "-ERR AUTH <password> called without any password configured for the default user."
          + " Are you sure your configuration is correct?";
    }
    boolean defaultUser = command.size() == 2 || command.get(1).equals("default");
    byte[] given = command.get(command.size() - 1).getBytes(StandardCharsets.UTF_8);
    // Constant time, like a real server, so that a test never teaches a timing oracle.
    return defaultUser && MessageDigest.isEqual(password, given)
        ? "+OK"
        : "-WRONGPASS invalid username-password pair or user is disabled.";
  }

  private static String answer(String name, List<String> command) {
    switch (name) {
      case "PING":
        return command.size() == 1
            ? "+PONG"
            : command.size() == 2
                ? bulk(command.get(1))
                : "-ERR wrong number of arguments for 'ping' command";
      case "ECHO":
        return command.size() == 2
            ? bulk(command.get(1))
            : "-ERR wrong number of arguments for 'echo' command";
      case "HELLO":
        return command.size() > 1 && !command.get(1).equals("2")
            ? "-NOPROTO unsupported protocol version"
            : "*4\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:2";
      default:
        return "-ERR unknown command '" + command.get(0) + "' (simulated endpoint)";
    }
  }

  private static String bulk(String value) {
    return "$" + value.getBytes(StandardCharsets.UTF_8).length + "\r\n" + value;
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A command as a RESP array or inline; empty for a blank line, null at end of stream. */
  private static List<String> readCommand(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      return null;
    }
    if (!line.startsWith("*")) {
      return line.isBlank() ? List.of() : List.of(line.trim().split("\\s+"));
    }
    int count = Integer.parseInt(line.substring(1));
    var args = new ArrayList<String>();
    for (int i = 0; i < count; i++) {
      String header = readLine(in);
      if (header == null || !header.startsWith("$")) {
        throw new IOException("protocol error: expected a bulk string");
      }
      int length = Integer.parseInt(header.substring(1));
      if (length < 0 || length > MAX_BULK) {
        throw new IOException("protocol error: bulk length " + length);
      }
      byte[] bytes = in.readNBytes(length + 2);
      if (bytes.length < length + 2) {
        return null;
      }
      args.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
    return args;
  }

  /** A line without its LF or CRLF (inline commands may end in a bare LF); null at the end. */
  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("line too long");
      }
      line.write(b);
    }
    return null;
  }

  /**
   * Stops accepting and closes every open connection. When it returns, nothing answers on the port
   * any more: a thread blocked in {@code accept} keeps the kernel's listening socket alive until it
   * wakes, so this waits (bounded) for the acceptor to end, and a connection it accepted meanwhile
   * is closed unanswered.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    Thread accepting = acceptor;
    if (accepting != null && accepting != Thread.currentThread()) {
      try {
        accepting.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Socket client : clients) {
      try {
        client.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
