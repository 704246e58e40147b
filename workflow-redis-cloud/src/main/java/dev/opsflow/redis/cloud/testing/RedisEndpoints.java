package dev.opsflow.redis.cloud.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the {@link RedisCloudSimulator}'s databases listen: a real {@code redis-server} on a free
 * loopback port when one is on the PATH, else a {@link RespResponder} in this JVM answering PING,
 * AUTH, HELLO and QUIT. The password reaches redis-server through its standard input, never its
 * command line. Implementations are thread-safe.
 */
@FunctionalInterface
public interface RedisEndpoints {

  /** A running endpoint. */
  interface Endpoint extends AutoCloseable {
    /** {@code 127.0.0.1:port}. */
    String address();

    /** Stops it. */
    @Override
    void close();
  }

  /**
   * Starts an endpoint requiring {@code password} (null: none).
   *
   * @throws UncheckedIOException when it cannot start
   */
  Endpoint start(String password);

  /** redis-server when on the PATH, else the in-process responder. */
  static RedisEndpoints auto() {
    Optional<Path> binary = findOnPath("redis-server");
    return binary.isPresent() ? redisServer(binary.get()) : inProcess();
  }

  /** Always the in-process RESP responder. */
  static RedisEndpoints inProcess() {
    return RespResponder::start;
  }

  /** A real redis-server from {@code binary}, one process per endpoint. */
  static RedisEndpoints redisServer(Path binary) {
    return password -> RedisServerProcess.start(binary, password);
  }

  /** The first executable {@code name} on the PATH. */
  static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** A redis-server child process with no persistence, bound to 127.0.0.1. */
  final class RedisServerProcess implements Endpoint {
    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static RedisServerProcess start(Path binary, String password) {
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        try {
          // "-" makes redis-server read its configuration from stdin: no password in ps.
          Process p = new ProcessBuilder(binary.toString(), "-")
              .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
          try (OutputStream in = p.getOutputStream()) {
            String conf = "port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\n"
                + "daemonize no\nprotected-mode no\n"
                + (password == null ? "" : "requirepass " + password + "\n");
            in.write(conf.getBytes(StandardCharsets.UTF_8));
          }
          var server = new RedisServerProcess(p, port);
          if (server.awaitReady()) {
            return server;
          }
          server.close();
        } catch (IOException e) {
          last = e;
        }
      }
      throw new UncheckedIOException("redis-server did not start on 127.0.0.1",
          last != null ? last : new IOException("not listening after 3 attempts"));
    }

    private boolean awaitReady() {
      // A real process starting up: a short, bounded poll of its port in real time.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline && process.isAlive()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return true;
        } catch (IOException notYet) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      return false;
    }

    @Override
    public String address() {
      return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
