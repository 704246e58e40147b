package dev.opsflow.workflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process on 127.0.0.1, in its own temp dir, with no persistence.
 * Its whole configuration, the password included, goes in on its standard input: never on its
 * command line (where {@code ps} shows it) nor on disk. A shutdown hook stops the servers a JVM
 * leaves running. Start one with {@link RedisEndpoints}. Thread-safe.
 */
public final class RedisServerProcess implements RedisEndpoint {
  private static final long START_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int ATTEMPTS = 3;

  /** Servers still running, stopped by a shutdown hook if the JVM exits before close(). */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "redis-server-reaper"));
  }

  private final Process process;
  private final Path dir;
  private final int port;

  private RedisServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts one; empty when it cannot (a fixed port that is taken, or a server that does not come
   * up), so that the caller can fall back to a {@link RespResponder}. On a free port it tries a few
   * times, in case another process takes the port between our probe and the server's bind.
   */
  static Optional<RedisServerProcess> tryStart(Path binary, String password, int fixedPort) {
    for (int attempt = 0; attempt < (fixedPort == 0 ? ATTEMPTS : 1); attempt++) {
      Optional<RedisServerProcess> server = startOnce(binary, password, fixedPort);
      if (server.isPresent()) {
        return server;
      }
    }
    return Optional.empty();
  }

  private static Optional<RedisServerProcess> startOnce(
      Path binary, String password, int fixedPort) {
    Path dir = null;
    try {
      int port;
      try (ServerSocket probe = new ServerSocket(fixedPort, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      dir = Files.createTempDirectory("opsflow-redis-");
      // "-" makes redis-server read its configuration from standard input.
      Process process =
          new ProcessBuilder(binary.toString(), "-")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
      RUNNING.add(process);
      var server = new RedisServerProcess(process, dir, port);
      try (OutputStream in = process.getOutputStream()) {
        in.write(config(port, dir, password).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        server.close();
        return Optional.empty();
      }
      if (server.awaitReady(password)) {
        return Optional.of(server);
      }
      server.close();
      return Optional.empty();
    } catch (IOException e) {
      deleteQuietly(dir);
      return Optional.empty();
    }
  }

  private static String config(int port, Path dir, String password) {
    return "port "
        + port
        + "\nbind 127.0.0.1\ndaemonize no\nprotected-mode no\n"
        + "dir "
        + quoted(dir.toString())
        + "\nlogfile "
        + quoted(dir.resolve("redis.log").toString())
        + "\nsave \"\"\nappendonly no\n"
        + (password == null ? "" : "requirepass " + quoted(password) + "\n");
  }

  /** A config argument in double quotes, so spaces, quotes and {@code #} stay in the value. */
  static String quoted(String value) {
    var sb = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /**
   * Waits (real time, bounded: a real process starting) until the port answers RESP as this very
   * process: another server that already held the port (ours then fails to bind and exits) must not
   * pass for it, so the answer to {@code INFO server} must carry this process's id.
   */
  private boolean awaitReady(String password) {
    long deadline = System.nanoTime() + START_NANOS;
    String expected = "process_id:" + process.pid() + "\r\n";
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        if (password != null) {
          out.write(command("AUTH", password));
        }
        out.write(command("INFO", "server"));
        out.flush();
        if (readUntil(socket.getInputStream(), expected) && process.isAlive()) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static byte[] command(String... parts) {
    var sb = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String part : parts) {
      sb.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      sb.append(part).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads (at most 16 KB) until {@code marker} appears; false at the end of the stream. */
  private static boolean readUntil(InputStream in, String marker) throws IOException {
    var seen = new StringBuilder();
    byte[] buffer = new byte[2048];
    int n;
    while (seen.length() < 16_384 && (n = in.read(buffer)) > 0) {
      seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      if (seen.indexOf(marker) >= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String kind() {
    return "redis-server";
  }

  /** {@return the server's process id, to check what runs (its command line, say)} */
  public long pid() {
    return process.pid();
  }

  /** Stops the server (SIGTERM, SIGKILL after 5 s) and deletes its temp dir. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(process);
    deleteQuietly(dir);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless: it holds no password
    }
  }
}
