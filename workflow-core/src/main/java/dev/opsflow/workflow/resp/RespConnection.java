package dev.opsflow.workflow.resp;

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
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One RESP2 connection to a Redis endpoint, for the commands the workflows check data with ({@code
 * SET}, {@code GET}, {@code DBSIZE}, {@code SCAN}, {@code DUMP}, {@code INFO}): after {@code AUTH}
 * when a password is given, over TLS when a context is given (the chain verified by the context;
 * the host name is not, as the proxy certificate may not carry the endpoint's addresses).
 *
 * <p>Replies: simple strings and bulk strings as {@code byte[]} (null for a null bulk), integers as
 * {@code Long}, arrays as {@code List<Object>}; an error reply throws a {@link WorkflowException}
 * of kind REMOTE_FAILURE with the server's text. Not thread-safe: one caller at a time.
 */
public final class RespConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String where;

  private RespConnection(Socket socket, String where) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.where = where;
  }

  /**
   * Connects, and authenticates when {@code password} is not null.
   *
   * @param host the endpoint's host
   * @param port its port
   * @param password the default user's password, or null for none
   * @param tls the TLS context to connect with, or null for plain TCP
   * @param timeout the time limit of connecting and of each reply
   * @return the open connection; close it when done
   * @throws WorkflowException of kind CONNECTION when the endpoint cannot be reached, AUTH when the
   *     password is refused
   */
  public static RespConnection open(
      String host, int port, Secret password, SSLContext tls, Duration timeout) {
    String where = host + ":" + port;
    Socket socket = null;
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      if (tls != null) {
        SSLSocket secure =
            (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
        secure.startHandshake();
        socket = secure;
      }
      var connection = new RespConnection(socket, where);
      if (password != null && !password.isEmpty()) {
        try {
          connection.call("AUTH", password.reveal());
        } catch (WorkflowException e) {
          connection.close();
          throw new WorkflowException(
              ErrorKind.AUTH, "Redis at " + where + " refused the database password");
        }
      }
      return connection;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new WorkflowException(
          ErrorKind.CONNECTION, "cannot reach Redis at " + where + ": " + e.getMessage(), e);
    }
  }

  /** {@return {@code host:port}} */
  public String where() {
    return where;
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param args the command and its arguments
   * @return the reply: a String, Long, byte[], List or null
   * @throws WorkflowException REMOTE_FAILURE for an error reply, CONNECTION when the connection
   *     fails
   */
  public Object call(String... args) {
    return call(toBytes(args));
  }

  /**
   * As {@link #call(String...)} with binary arguments (a {@code DUMP} payload, say).
   *
   * @param args the command and its arguments, as bytes
   * @return the reply: a String, Long, byte[], List or null
   */
  public Object call(List<byte[]> args) {
    try {
      var request = new ByteArrayOutputStream();
      request.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (byte[] arg : args) {
        request.write(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.write(arg);
        request.write(CRLF);
      }
      out.write(request.toByteArray());
      out.flush();
      return read();
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONNECTION, "Redis at " + where + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The reply to a command as UTF-8 text (null for a null bulk).
   *
   * @param args the command and its arguments
   * @return the reply as text
   */
  public String text(String... args) {
    return text(call(args));
  }

  /**
   * The reply to a command as an integer.
   *
   * @param args the command and its arguments
   * @return the reply as a number
   */
  public long number(String... args) {
    Object reply = call(args);
    if (reply instanceof Long n) {
      return n;
    }
    throw new WorkflowException(
        ErrorKind.PROTOCOL, "Redis at " + where + " answered " + args[0] + " with a non-integer");
  }

  /**
   * The keys of a sample of {@code source} (up to {@code size}, by {@code SCAN}) whose {@code DUMP}
   * payload (type, value and encoding, whatever the type) differs in {@code target} or is missing
   * there: how a copy of a database is checked.
   *
   * @param source the database copied from
   * @param target the database copied to
   * @param size how many of the source's keys to compare at most
   * @return the sampled keys that differ or are missing in the target, in SCAN order
   */
  public static List<String> differingKeys(RespConnection source, RespConnection target, int size) {
    var differing = new ArrayList<String>();
    String cursor = "0";
    int seen = 0;
    do {
      @SuppressWarnings("unchecked")
      List<Object> page = (List<Object>) source.call("SCAN", cursor, "COUNT", "100");
      cursor = text(page.get(0));
      @SuppressWarnings("unchecked")
      List<Object> keys = (List<Object>) page.get(1);
      for (Object k : keys) {
        if (seen++ >= size) {
          break;
        }
        String key = text(k);
        byte[] a = (byte[]) source.call("DUMP", key);
        byte[] b = (byte[]) target.call("DUMP", key);
        if (a != null && (b == null || !java.util.Arrays.equals(a, b))) {
          differing.add(key);
        }
      }
    } while (!cursor.equals("0") && seen < size);
    return differing;
  }

  /**
   * A reply ({@code byte[]}) as UTF-8 text; null stays null.
   *
   * @param reply a reply from {@link #call}
   * @return the reply as text
   */
  public static String text(Object reply) {
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line.getBytes(StandardCharsets.UTF_8);
      case '-':
        throw new WorkflowException(
            ErrorKind.REMOTE_FAILURE, "Redis at " + where + " answered: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bulk = in.readNBytes(length);
        in.readNBytes(2);
        return bulk;
      case '*':
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        var items = new ArrayList<Object>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      default:
        throw new WorkflowException(
            ErrorKind.PROTOCOL, "Redis at " + where + " sent an unknown reply type " + type);
    }
  }

  private String readLine() throws IOException {
    var line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        in.read();
        break;
      }
      line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static List<byte[]> toBytes(String... args) {
    var bytes = new ArrayList<byte[]>(args.length);
    for (String arg : args) {
      bytes.add(arg.getBytes(StandardCharsets.UTF_8));
    }
    return bytes;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }
}
