package dev.opsflow.hardware.redfish.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The simulator's HTTPS port. The JDK's HTTPS server drops a plain-HTTP request without a word; a
 * web server answers it (nginx: 400 "The plain HTTP request was sent to HTTPS port"). This port
 * looks at a connection's first byte: a TLS handshake record (0x16) is passed through to the HTTPS
 * server behind it; anything else gets a 400 with a Redfish error naming the HTTPS URL, then the
 * connection closes. Thread-safe; {@link #close()} stops it and every connection.
 */
final class TlsPort implements AutoCloseable {
  private static final int TLS_HANDSHAKE = 0x16;
  private final ServerSocket server;
  private final int backend;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            var t = new Thread(r, "redfish-tls-port");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  TlsPort(int port, int backend) throws IOException {
    this.backend = backend;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first != TLS_HANDSHAKE) {
        refusePlainHttp(client, first);
        return;
      }
      Socket inner = new Socket(InetAddress.getLoopbackAddress(), backend);
      inner.setTcpNoDelay(true);
      open.add(inner);
      inner.getOutputStream().write(first);
      threads.execute(() -> pipe(inner, client));
      pipe(client, inner);
    } catch (IOException e) {
      // the client or the server went away: the connection ends
    } finally {
      closeQuietly(client);
    }
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void refusePlainHttp(Socket client, int first) throws IOException {
    client.setSoTimeout(5_000);
    var head = new ByteArrayOutputStream();
    head.write(first);
    InputStream in = client.getInputStream();
    while (head.size() < 16 * 1024
        && !head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String message =
        "The plain HTTP request was sent to the HTTPS port; use https://127.0.0.1:" + port() + ".";
    String body =
        "{\"error\":{\"code\":\"Base.1.8.GeneralError\",\"message\":\""
            + message
            + "\","
            + "\"@Message.ExtendedInfo\":[{\"MessageId\":\"Base.1.8.GeneralError\",\"Message\":\""
            + message
            + "\",\"Severity\":\"Critical\"}]}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String answer =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=utf-8\r\n"
            + "OData-Version: 4.0\r\nConnection: close\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(answer.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    open.forEach(this::closeQuietly);
    threads.shutdownNow();
  }
}
