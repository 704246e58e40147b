package dev.opsflow.workflow.http;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link SSLContext} for a {@link TlsTrust}: for the HTTP client, and for adapters that
 * open TLS sockets of their own (a RESP connectivity check). Thread-safe.
 */
public final class TlsContexts {
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");

  private TlsContexts() {}

  /**
   * The context for a trust choice, or null for the JDK default.
   *
   * @throws WorkflowException of kind CONFIGURATION when the PEM cannot be read or parsed
   */
  static SSLContext forTrust(TlsTrust trust) {
    if (trust instanceof TlsTrust.Pem pem) {
      return trusting(pem.pem(), "the PEM text");
    }
    if (trust instanceof TlsTrust.PemFile file) {
      String text;
      try {
        text = Files.readString(file.file(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new WorkflowException(
            ErrorKind.CONFIGURATION,
            "cannot read the trusted certificate file " + file.file() + ": " + e.getMessage(),
            e);
      }
      return trusting(text, file.file().toString());
    }
    if (trust instanceof TlsTrust.TrustAll) {
      return withManager(new AcceptAll());
    }
    return null;
  }

  /**
   * The context for a trust choice, never null: the JDK's default context for {@link
   * TlsTrust#system()}. For adapters that open TLS sockets themselves.
   *
   * @param trust the trust choice
   * @return the context
   * @throws WorkflowException of kind CONFIGURATION when the PEM cannot be read or parsed, or the
   *     JDK has no default context
   */
  public static SSLContext sslContext(TlsTrust trust) {
    SSLContext context = forTrust(trust);
    if (context != null) {
      return context;
    }
    try {
      return SSLContext.getDefault();
    } catch (GeneralSecurityException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION, "the JDK has no default TLS context: " + e.getMessage(), e);
    }
  }

  private static SSLContext trusting(String pem, String source) {
    try {
      var factory = CertificateFactory.getInstance("X.509");
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      Matcher blocks = CERTIFICATE.matcher(pem);
      int count = 0;
      while (blocks.find()) {
        byte[] block = blocks.group().getBytes(StandardCharsets.US_ASCII);
        var certificate = factory.generateCertificate(new ByteArrayInputStream(block));
        store.setCertificateEntry("trusted-" + count++, certificate);
      }
      if (count == 0) {
        throw new WorkflowException(
            ErrorKind.CONFIGURATION, "no certificate block found in " + source);
      }
      var managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      managers.init(store);
      var context = SSLContext.getInstance("TLS");
      context.init(null, managers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "cannot use the trusted certificates from " + source + ": " + e.getMessage(),
          e);
    }
  }

  private static SSLContext withManager(TrustManager manager) {
    try {
      var context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {manager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new WorkflowException(ErrorKind.CONFIGURATION, "cannot set up TLS: " + e, e);
    }
  }

  /**
   * Accepts every certificate. Being an {@link X509ExtendedTrustManager}, it also takes over the
   * host name check that the JDK would otherwise add around a plain trust manager, so host names
   * are not verified either.
   */
  private static final class AcceptAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
