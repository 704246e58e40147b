package dev.opsflow.workflow.peers;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost} made by {@code openssl} in
 * a given dir (skipped or failed like the other peers when openssl is missing), with the TLS
 * contexts a test needs: one to serve it, one trusting only it.
 */
public final class SelfSignedTls {
  private static final char[] STORE_PASSWORD = "opsflow-test".toCharArray();

  private final Path cert;
  private final Path key;
  private final Path keyStore;

  private SelfSignedTls(Path cert, Path key, Path keyStore) {
    this.cert = cert;
    this.key = key;
    this.keyStore = keyStore;
  }

  /** Makes the certificate, its key and a PKCS#12 store of both in {@code dir}. */
  public static SelfSignedTls create(Path dir) throws Exception {
    Path openssl = Peers.require("openssl", "openssl");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Path store = dir.resolve("server.p12");
    run(
        List.of(
            openssl.toString(),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost"));
    run(
        List.of(
            openssl.toString(),
            "pkcs12",
            "-export",
            "-in",
            cert.toString(),
            "-inkey",
            key.toString(),
            "-out",
            store.toString(),
            "-passout",
            "pass:" + new String(STORE_PASSWORD)));
    return new SelfSignedTls(cert, key, store);
  }

  private static void run(List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("openssl failed: " + command.subList(0, 2));
    }
  }

  /** The certificate, PEM. */
  public Path certFile() {
    return cert;
  }

  /** Its private key, PEM, unencrypted. */
  public Path keyFile() {
    return key;
  }

  /** A context serving this certificate. */
  public SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, STORE_PASSWORD);
    }
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, STORE_PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /** A client context trusting only this certificate. */
  public SSLContext trustingContext() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "self-signed", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
