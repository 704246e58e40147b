package dev.opsflow.workflow.resp;

import dev.opsflow.workflow.peers.FreePorts;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.peers.SelfSignedTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
  final int port;
  final String password = "tls-pass-" + Long.toHexString(System.nanoTime());
  final SelfSignedTls certificate;
  private final Process process;

  TlsRedisServer(Path dir) throws Exception {
    Path redis = Peers.require("redis-server", "redis-server");
    certificate = SelfSignedTls.create(dir);
    port = FreePorts.loopback();
    process =
        new ProcessBuilder(redis.toString(), "-")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(
          ("port 0\ntls-port "
                  + port
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
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening()) {
      need(
          process.isAlive() && System.nanoTime() < deadline,
          "this redis-server does not serve TLS: " + Files.readString(dir.resolve("redis.log")));
      Thread.sleep(10); // a real process starting: bounded poll of its port
    }
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

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
