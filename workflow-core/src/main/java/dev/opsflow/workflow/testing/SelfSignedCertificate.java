package dev.opsflow.workflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, generated once per JVM
 * with the JDK's {@code keytool} (from {@code java.home}) into a temp dir that is deleted at once
 * (the JDK has no public API to make one): what the simulators present, like the self-signed
 * certificate of a fresh Redis Enterprise node, a BMC or a TLS database endpoint. Clients trust its
 * {@link #pem()} (TLS stays verified, host name included). Thread-safe.
 */
public final class SelfSignedCertificate {
  private static final char[] STORE_PASSWORD = "opsflow-simulator".toCharArray();
  private static SelfSignedCertificate shared;

  private final SSLContext serverContext;
  private final String pem;

  private SelfSignedCertificate(SSLContext serverContext, String pem) {
    this.serverContext = serverContext;
    this.pem = pem;
  }

  /**
   * {@return the JVM's certificate, generated on first use}
   *
   * @throws IllegalStateException when the JDK's keytool is missing or fails
   */
  public static synchronized SelfSignedCertificate shared() {
    if (shared == null) {
      shared = generate();
    }
    return shared;
  }

  /** {@return a server-side context presenting the certificate} */
  public SSLContext serverContext() {
    return serverContext;
  }

  /** {@return the certificate in PEM: what a client trusts} */
  public String pem() {
    return pem;
  }

  private static SelfSignedCertificate generate() {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new IllegalStateException(
          "the simulator needs the JDK's keytool to make its TLS "
              + "certificate, and there is none at "
              + keytool);
    }
    try {
      Path dir = Files.createTempDirectory("opsflow-cert-");
      dir.toFile().deleteOnExit();
      Path store = dir.resolve("simulator.p12");
      String password = new String(STORE_PASSWORD);
      run(
          List.of(
              keytool.toString(),
              "-genkeypair",
              "-alias",
              "simulator",
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-sigalg",
              "SHA256withECDSA",
              "-validity",
              "3650",
              "-dname",
              "CN=localhost, O=Opsflow simulator",
              "-ext",
              "SAN=ip:127.0.0.1,dns:localhost",
              "-keystore",
              store.toString(),
              "-storetype",
              "PKCS12",
              // From the environment, never on the command line where ps shows it.
              "-storepass:env",
              "OPSFLOW_KEYSTORE_PASSWORD",
              "-keypass:env",
              "OPSFLOW_KEYSTORE_PASSWORD"),
          dir,
          password);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, STORE_PASSWORD);
      }
      var managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(keys, STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, null);
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(keys.getCertificate("simulator").getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
      return new SelfSignedCertificate(context, pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the simulator's certificate: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the simulator's certificate", e);
    }
  }

  private static void run(List<String> command, Path dir, String password)
      throws IOException, InterruptedException {
    var builder =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(dir.toFile())
            .redirectErrorStream(true);
    builder.environment().put("OPSFLOW_KEYSTORE_PASSWORD", password);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("keytool did not finish within 60 s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "keytool failed ("
              + process.exitValue()
              + "): "
              + new String(output, StandardCharsets.UTF_8));
    }
  }
}
