package dev.opsflow.redis.cloud.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server serving TLS only, with a self-signed certificate for 127.0.0.1 made by
 * openssl and a password; skipped when redis-server or openssl is missing (failed instead when
 * {@code OPSFLOW_REQUIRE_PEERS=1}).
 */
final class TlsRedisServer implements AutoCloseable {
  final int port;
  final String password = "tls-pass-" + Long.toHexString(System.nanoTime());
  private final Process process;
  private final Path cert;

  TlsRedisServer(Path dir) throws Exception {
    Optional<Path> redis = dev.opsflow.redis.cloud.testing.RedisEndpoints.findOnPath(
        "redis-server");
    Optional<Path> openssl = dev.opsflow.redis.cloud.testing.RedisEndpoints.findOnPath("openssl");
    need(redis.isPresent() && openssl.isPresent(),
        "redis-server and openssl are needed for the TLS check");
    cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process gen = new ProcessBuilder(List.of(openssl.get().toString(), "req", "-x509",
        "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    need(gen.waitFor(30, TimeUnit.SECONDS) && gen.exitValue() == 0,
        "openssl could not make a certificate");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    process = new ProcessBuilder(redis.get().toString(), "-")
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(("port 0\ntls-port " + port + "\nbind 127.0.0.1\ntls-cert-file " + cert
          + "\ntls-key-file " + key + "\ntls-ca-cert-file " + cert + "\ntls-auth-clients no\n"
          + "save \"\"\nappendonly no\nrequirepass " + password + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening()) {
      need(process.isAlive() && System.nanoTime() < deadline,
          "this redis-server does not serve TLS: " + Files.readString(dir.resolve("redis.log")));
      Thread.sleep(10); // a real process starting: bounded poll of its port
    }
  }

  /** Skips the test when a condition fails, or fails it when peers are required. */
  private static void need(boolean condition, String reason) {
    if (!condition) {
      if (dev.opsflow.workflow.peers.Peers.required()) {
        throw new AssertionError(reason + " (" + dev.opsflow.workflow.peers.Peers.REQUIRE_ENV
            + " is set)");
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

  /** A socket factory trusting only this server's certificate. */
  SSLSocketFactory trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("redis", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
