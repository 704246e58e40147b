package dev.opsflow.redis.enterprise.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A minimal Redis endpoint: RESP over TCP (or TLS) on 127.0.0.1 answering {@code PING}, {@code
 * AUTH}, {@code ECHO}, {@code QUIT} and {@code HELLO} (refused, so clients fall back to RESP2),
 * with {@code requirepass} semantics when a password is set: other commands answer {@code
 * -NOAUTH} until {@code AUTH} succeeds, and a wrong password answers {@code -WRONGPASS}. Used
 * where no {@code redis-server} can be started, and for TLS databases. Thread-safe.
 */
public final class RespResponder implements RedisEndpoint {
  private final ServerSocket server;
  private final String password;
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private RespResponder(ServerSocket server, String password) {
    this.server = server;
    this.password = password;
    this.acceptor = new Thread(this::accept, "resp-responder-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a responder on a free loopback port.
   *
   * @param password the password clients must AUTH with, or null for none
   * @param tls a server TLS context, or null for plain TCP
   * @throws IllegalStateException if the port cannot be opened
   */
  public static RespResponder start(String password, SSLContext tls) {
    return start(password, tls, 0);
  }

  /**
   * Starts a responder on {@code port} of the loopback address (0 for a free one).
   *
   * @throws IllegalStateException if the port cannot be opened
   */
  public static RespResponder start(String password, SSLContext tls, int port) {
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      ServerSocket socket = tls == null ? new ServerSocket(port, 50, loopback)
          : tls.getServerSocketFactory().createServerSocket(port, 50, loopback);
      return new RespResponder(socket, password);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open port " + port + " for the RESP responder: "
          + e.getMessage(), e);
    }
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
        clients.add(client);
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
      while (true) {
        List<String> command = readCommand(in);
        if (command == null) {
          return;
        }
        if (command.isEmpty()) {
          continue;
        }
        String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
        String reply;
        if (name.equals("AUTH")) {
          String given = command.get(command.size() - 1);
          if (password == null) {
            reply = "-ERR AUTH <password> called without any password configured for the default"
                + " user. Are you sure your configuration is correct?";
          } else if (command.size() >= 2 && password.equals(given)) {
            authenticated = true;
            reply = "+OK";
          } else {
            reply = "-WRONGPASS invalid username-password pair or user is disabled.";
          }
        } else if (name.equals("QUIT")) {
          write(out, "+OK");
          return;
        } else if (!authenticated) {
          reply = "-NOAUTH Authentication required.";
        } else if (name.equals("PING")) {
          reply = command.size() > 1 ? bulk(command.get(1)) : "+PONG";
        } else if (name.equals("ECHO") && command.size() == 2) {
          reply = bulk(command.get(1));
        } else {
          reply = "-ERR unknown command '" + command.get(0) + "'";
        }
        write(out, reply);
      }
    } catch (IOException e) {
      // The client went away; nothing to do.
    } finally {
      clients.remove(client);
    }
  }

  private static String bulk(String value) {
    return "$" + value.getBytes(StandardCharsets.UTF_8).length + "\r\n" + value;
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A command as RESP array or inline; null at end of stream. */
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
      byte[] bytes = in.readNBytes(length + 2);
      if (bytes.length < length + 2) {
        return null;
      }
      args.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
    return args;
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      if (line.size() > 1024 * 1024) {
        throw new IOException("line too long");
      }
      line.write(b);
      previous = b;
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
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
