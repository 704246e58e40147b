package dev.opsflow.workflow.peers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal RESP (Redis protocol) client over a plain socket, for {@link RedisServerPeer}. */
final class Resp {

  private Resp() {}

  /**
   * Sends one command on a fresh connection, after {@code AUTH password} unless it is null.
   *
   * @return the reply as {@link RedisServerPeer#command} describes it
   */
  static String send(String host, int port, String password, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        write(out, "AUTH", password);
        String reply = read(in);
        if (!"+OK".equals(reply)) {
          throw new IllegalStateException("AUTH refused: " + reply);
        }
      }
      write(out, args);
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("redis " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static void write(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
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

  private static String read(InputStream in) throws IOException {
    String line = readLine(in);
    char type = line.isEmpty() ? ' ' : line.charAt(0);
    if (type == '$') {
      int length = Integer.parseInt(line.substring(1));
      if (length < 0) {
        return null;
      }
      byte[] bytes = in.readNBytes(length + 2);
      if (bytes.length < length) {
        throw new EOFException("connection closed in a bulk string");
      }
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
    if (type == '*') {
      int count = Integer.parseInt(line.substring(1));
      List<String> items = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        items.add(read(in));
      }
      return String.join("\n", items);
    }
    return line;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }
}
