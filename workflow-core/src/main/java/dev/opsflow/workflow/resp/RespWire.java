package dev.opsflow.workflow.resp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The client side of RESP that {@link RespPing} needs: commands out, reply lines in. */
final class RespWire {
  /** A reply to AUTH or PING is short; a server that sends more is not the Redis we expect. */
  static final int MAX_LINE = 4096;

  private RespWire() {}

  /** Writes {@code args} as one RESP array of bulk strings, in one write. */
  static void write(OutputStream out, List<String> args) throws IOException {
    var buffer = new ByteArrayOutputStream();
    buffer.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buffer.writeBytes(bytes);
      buffer.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(buffer.toByteArray());
    out.flush();
  }

  /**
   * Reads one line up to CRLF, without it.
   *
   * @throws EOFException when the server closes the connection first
   * @throws IOException when the line is longer than {@value #MAX_LINE} bytes
   */
  static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed before a complete reply");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("reply line longer than " + MAX_LINE + " bytes: not a Redis reply");
      }
      line.write(b);
      previous = b;
    }
  }
}
