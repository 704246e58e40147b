package dev.opsflow.redis.enterprise.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process on a free 127.0.0.1 port, in its own temp dir, with
 * no persistence; the password goes in a private config file, never on the command line. A
 * shutdown hook stops the servers a JVM leaves running.
 */
final class RedisServerProcess implements RedisEndpoint {
  private static final long START_MILLIS = 10_000;
  /** Servers still running, stopped by a shutdown hook if the JVM exits before close(). */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(Process::destroyForcibly), "redis-server-reaper"));
  }

  private final Process process;
  private final Path dir;
  private final int port;

  private RedisServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** The {@code redis-server} on the PATH (or in /usr/bin, /usr/sbin), if any. */
  static Optional<Path> binary() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    var dirs = new java.util.ArrayList<String>(List.of(path.split(java.io.File.pathSeparator)));
    dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
    return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "redis-server"))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }

  /**
   * Starts one; empty when it cannot (no binary, or it did not come up), so the caller can fall
   * back to a {@link RespResponder}.
   */
  static Optional<RedisEndpoint> tryStart(Path binary, String password, int fixedPort) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("opsflow-re-redis-");
      Path conf = dir.resolve("redis.conf");
      Files.writeString(conf, "");
      Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(conf, password == null ? "" : "requirepass " + password + "\n");
      int port;
      try (ServerSocket probe = new ServerSocket(fixedPort, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      Process process = new ProcessBuilder(binary.toString(), conf.toString(), "--bind",
          "127.0.0.1", "--port", Integer.toString(port), "--daemonize", "no", "--dir",
          dir.toString(), "--save", "", "--appendonly", "no", "--logfile",
          dir.resolve("redis.log").toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout.log").toFile()).start();
      RUNNING.add(process);
      var server = new RedisServerProcess(process, dir, port);
      if (server.awaitReady()) {
        return Optional.of(server);
      }
      server.close();
      return Optional.empty();
    } catch (IOException e) {
      deleteQuietly(dir);
      return Optional.empty();
    }
  }

  /** Waits (real time, bounded) until the port accepts connections and answers RESP. */
  private boolean awaitReady() {
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first == '+' || first == '-') {
          return true;
        }
      } catch (IOException e) {
        try {
          process.waitFor(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
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
      // a temp dir left behind is harmless
    }
  }
}
