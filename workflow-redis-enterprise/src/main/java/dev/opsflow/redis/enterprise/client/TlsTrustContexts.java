package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link SSLContext} for the same {@link TlsTrust} the API client uses, so that a database
 * endpoint's TLS is verified against the cluster's CA too. (The core builds its own contexts
 * privately; this is the small part a raw socket needs.)
 */
public final class TlsTrustContexts {
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");

  private TlsTrustContexts() {}

  /**
   * The context for {@code trust}.
   *
   * @throws WorkflowException of kind CONFIGURATION when the certificates cannot be read
   */
  public static SSLContext forTrust(TlsTrust trust) {
    try {
      if (trust instanceof TlsTrust.Pem pem) {
        return trusting(pem.pem());
      }
      if (trust instanceof TlsTrust.PemFile file) {
        return trusting(Files.readString(file.file(), StandardCharsets.US_ASCII));
      }
      if (trust instanceof TlsTrust.TrustAll) {
        var context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptAll()}, null);
        return context;
      }
      return SSLContext.getDefault();
    } catch (GeneralSecurityException | IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION, "cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  private static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
    var factory = CertificateFactory.getInstance("X.509");
    var store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    var blocks = CERTIFICATE.matcher(pem);
    int count = 0;
    while (blocks.find()) {
      byte[] block = blocks.group().getBytes(StandardCharsets.US_ASCII);
      store.setCertificateEntry("trusted-" + count++,
          factory.generateCertificate(new ByteArrayInputStream(block)));
    }
    if (count == 0) {
      throw new WorkflowException(ErrorKind.CONFIGURATION, "no certificate block in the PEM");
    }
    var managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    managers.init(store);
    var context = SSLContext.getInstance("TLS");
    context.init(null, managers.getTrustManagers(), null);
    return context;
  }

  /** Accepts every certificate: only for the explicit, logged trust-all opt-in. */
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
