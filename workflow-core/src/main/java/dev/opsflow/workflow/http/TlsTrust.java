package dev.opsflow.workflow.http;

import java.nio.file.Path;

/**
 * Which server certificates a {@link JsonHttpClient} accepts over HTTPS.
 *
 * <ul>
 *   <li>{@link #system()}, the default: the JDK's trust store, with host name verification.
 *   <li>{@link #pem(String)} and {@link #pemFile(Path)}: only the given certificates (a private CA,
 *       or a self-signed server certificate), still with host name verification. The JDK trust
 *       store is not consulted.
 *   <li>{@link #trustAll()}: any certificate and any host name. For test systems only; every client
 *       built with it logs a WARN.
 * </ul>
 *
 * <p>Host name verification follows the trust manager: the JDK's manager (used by {@code system}
 * and {@code pem}) checks that the certificate names the host; the accept-all manager of {@code
 * trustAll} does not. Nothing global (no system property) is changed. Values are immutable and
 * thread-safe.
 */
public sealed interface TlsTrust {

  /** {@return the JDK's trust store and host name verification: the default} */
  static TlsTrust system() {
    return SystemDefault.INSTANCE;
  }

  /**
   * Trust only the certificates in a PEM string (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @param pem one or more PEM certificate blocks
   * @return the trust choice
   * @throws IllegalArgumentException if {@code pem} is null or holds no certificate block
   */
  static TlsTrust pem(String pem) {
    return new Pem(pem);
  }

  /**
   * Trust only the certificates in a PEM file, read when a client is built.
   *
   * @param file a PEM file with one or more certificate blocks
   * @return the trust choice
   * @throws IllegalArgumentException if {@code file} is null
   */
  static TlsTrust pemFile(Path file) {
    return new PemFile(file);
  }

  /**
   * Accept any certificate and any host name. Unsafe outside tests; logged as a WARN.
   *
   * @return the trust choice
   */
  static TlsTrust trustAll() {
    return TrustAll.INSTANCE;
  }

  /** The JDK's trust store. */
  enum SystemDefault implements TlsTrust {
    /** The one instance. */
    INSTANCE
  }

  /** Accept everything. */
  enum TrustAll implements TlsTrust {
    /** The one instance. */
    INSTANCE
  }

  /**
   * Certificates given as PEM text.
   *
   * @param pem one or more PEM certificate blocks
   */
  record Pem(String pem) implements TlsTrust {
    /**
     * Checks that the text holds a certificate block.
     *
     * @param pem one or more PEM certificate blocks
     */
    public Pem {
      if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new IllegalArgumentException(
            "pem must hold at least one -----BEGIN CERTIFICATE----- block");
      }
    }

    @Override
    public String toString() {
      return "TlsTrust.pem(...)";
    }
  }

  /**
   * Certificates in a PEM file.
   *
   * @param file a PEM file with one or more certificate blocks
   */
  record PemFile(Path file) implements TlsTrust {
    /**
     * Checks that the path is given.
     *
     * @param file a PEM file with one or more certificate blocks
     */
    public PemFile {
      if (file == null) {
        throw new IllegalArgumentException("file must not be null");
      }
    }
  }
}
