package dev.opsflow.workflow.resp;

import dev.opsflow.workflow.peers.FreePorts;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.peers.SelfSignedTls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server serving TLS only, with a {@link SelfSignedTls} certificate for 127.0.0.1 and
 * a password; skipped when redis-server or openssl is missing or the server was built without TLS
 * (failed instead when {@code OPSFLOW_REQUIRE_PEERS=1}).
 */
final class TlsRedisServer implements AutoCloseable {
  private static final long START_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int ATTEMPTS = 3;

  final int port;
  final String password = "tls-pass-" + Long.toHexString(System.nanoTime());
  final SelfSignedTls certificate;
  private final Process process;

  TlsRedisServer(Path dir) throws Exception {
    Path redis = Peers.require("redis-server", "redis-server");
    certificate = SelfSignedTls.create(dir);
    Path log = dir.resolve("redis.log");
    for (int attempt = 1; ; attempt++) {
      int candidate = FreePorts.loopback();
      Process started = launch(redis, dir, candidate, log);
      // Ready when its own log says so: something answering on the port may be another process
      // that took the free port first (this server then fails to bind, and tries another port).
      long deadline = System.nanoTime() + START_NANOS;
      String text = Files.readString(log);
      while (started.isAlive() && !text.contains("Ready to accept connections")) {
        if (System.nanoTime() > deadline) {
          stop(started);
          throw new IllegalStateException("redis-server not ready after 30 s:\n" + text);
        }
        Thread.sleep(10); // a real process starting: bounded poll of its log
        text = Files.readString(log);
      }
      if (started.isAlive()) {
        port = candidate;
        process = started;
        return;
      }
      stop(started);
      text = Files.readString(log);
      if (!text.contains("Address already in use")) {
        need(false, "this redis-server does not serve TLS: " + text);
      }
      if (attempt == ATTEMPTS) {
        throw new IllegalStateException(
            "redis-server found its free port taken " + ATTEMPTS + " times:\n" + text);
      }
    }
  }

  private Process launch(Path redis, Path dir, int tlsPort, Path log) throws IOException {
    Process started =
        new ProcessBuilder(redis.toString(), "-")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try (OutputStream in = started.getOutputStream()) {
      in.write(
          ("port 0\ntls-port "
                  + tlsPort
                  + "\nbind 127.0.0.1 127.0.0.2\ntls-cert-file "
                  + certificate.certFile()
                  + "\ntls-key-file "
                  + certificate.keyFile()
                  + "\ntls-ca-cert-file "
                  + certificate.certFile()
                  + "\ntls-auth-clients no\n"
                  + "dir "
                  + dir
                  + "\nsave \"\"\nappendonly no\nrequirepass "
                  + password
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException exited) {
      // It exited before reading its configuration; its log says why.
    }
    return started;
  }

  /** Skips the test when a condition fails, or fails it when peers are required. */
  private static void need(boolean condition, String reason) {
    if (!condition) {
      if (Peers.required()) {
        throw new AssertionError(reason + " (" + Peers.REQUIRE_ENV + " is set)");
      }
      Assumptions.abort(reason);
    }
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop(process);
  }
}
