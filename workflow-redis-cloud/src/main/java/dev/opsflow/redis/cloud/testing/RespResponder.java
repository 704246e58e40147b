package dev.opsflow.redis.cloud.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal RESP server in this JVM for machines without redis-server: it answers {@code PING},
 * {@code AUTH [user] password}, {@code HELLO} (RESP2 only), {@code QUIT}, and refuses everything
 * else; with a password, commands before a successful AUTH get {@code -NOAUTH}. Enough for
 * connectivity checks, nothing more. Thread-safe.
 */
public final class RespResponder implements RedisEndpoints.Endpoint {
  private final ServerSocket server;
  private final byte[] password;
  private final Thread acceptor;

  private RespResponder(ServerSocket server, String password) {
    this.server = server;
    this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    this.acceptor = new Thread(this::acceptLoop, "resp-responder-" + server.getLocalPort());
    this.acceptor.setDaemon(true);
  }

  /**
   * Listens on a free 127.0.0.1 port, requiring {@code password} (null: none).
   *
   * @throws UncheckedIOException when no port can be bound
   */
  public static RespResponder start(String password) {
    try {
      var responder = new RespResponder(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
          password);
      responder.acceptor.start();
      return responder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "resp-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      boolean authed = password == null;
      while (true) {
        List<String> cmd = readCommand(in);
        if (cmd == null || cmd.isEmpty()) {
          return;
        }
        String name = cmd.get(0).toUpperCase(Locale.ROOT);
        String reply;
        if (name.equals("QUIT")) {
          out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
          return;
        } else if (name.equals("AUTH")) {
          String given = cmd.get(cmd.size() - 1);
          boolean ok = password != null && cmd.size() >= 2 && MessageDigest.isEqual(password,
              given.getBytes(StandardCharsets.UTF_8));
          authed = authed || ok;
          reply = password == null ? "-ERR AUTH <password> called without any password configured"
              : ok ? "+OK" : "-WRONGPASS invalid username-password pair or user is disabled";
        } else if (!authed) {
          reply = "-NOAUTH Authentication required.";
        } else if (name.equals("PING")) {
          reply = cmd.size() > 1 ? "$" + cmd.get(1).length() + "\r\n" + cmd.get(1) : "+PONG";
        } else if (name.equals("HELLO")) {
          reply = cmd.size() > 1 && !cmd.get(1).equals("2")
              ? "-NOPROTO unsupported protocol version"
              : "*4\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:2";
        } else {
          reply = "-ERR unknown command '" + cmd.get(0) + "' (simulated endpoint)";
        }
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // a client that goes away or speaks nonsense just loses its connection
    }
  }

  private static List<String> readCommand(InputStream in) throws IOException {
    String first = line(in);
    if (first == null) {
      return null;
    }
    if (!first.startsWith("*")) {
      return List.of(first.trim().split("\\s+"));
    }
    int n = Integer.parseInt(first.substring(1));
    var parts = new ArrayList<String>();
    for (int i = 0; i < n; i++) {
      String header = line(in);
      if (header == null || !header.startsWith("$")) {
        throw new IOException("expected a bulk string");
      }
      int len = Integer.parseInt(header.substring(1));
      byte[] data = in.readNBytes(len + 2);
      parts.add(new String(data, 0, len, StandardCharsets.UTF_8));
    }
    return parts;
  }

  private static String line(InputStream in) throws IOException {
    var sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      if (sb.length() > 65_536) {
        throw new IOException("line too long");
      }
      sb.append((char) b);
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
