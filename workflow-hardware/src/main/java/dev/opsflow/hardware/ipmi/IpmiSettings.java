package dev.opsflow.hardware.ipmi;

import dev.opsflow.workflow.Secret;
import java.time.Duration;

/**
 * How to reach one BMC with {@code ipmitool -I lanplus}.
 *
 * <p>Start from {@link #of(String, String, Secret)} and adjust with the {@code withX} methods.
 * Defaults: port 623, cipher suite 3, password through the environment, 30 s per command, ipmitool
 * found on the {@code PATH}.
 *
 * <p><b>Cipher suite 3</b> (RAKP-HMAC-SHA1, HMAC-SHA1-96 integrity, AES-CBC-128 confidentiality) is
 * the default because every IPMI 2.0 BMC must support it, while suite 17 (SHA-256) is missing on
 * many older BMCs and on OpenIPMI's {@code ipmi_sim}; without {@code -C}, ipmitool 1.8.19 tries 17
 * first and stalls about 10 s before falling back. Choose 17 with {@link #withCipherSuite} where
 * the whole fleet supports it.
 *
 * <p>The password is a {@link Secret}: it never reaches a command line (see {@link
 * PasswordSource}). Immutable and thread-safe; prints no secret.
 *
 * @param host BMC address or name
 * @param port BMC UDP port
 * @param username IPMI user
 * @param password IPMI password
 * @param cipherSuite the {@code -C} cipher suite id, 0 to 17
 * @param passwordSource how the password reaches ipmitool
 * @param timeout how long one ipmitool call may take before it is killed
 * @param ipmitool the ipmitool executable (name on the PATH or absolute path)
 * @param retryIntervalSeconds ipmitool's {@code -N}: seconds to wait for an answer before resending
 *     a request (default 2)
 * @param retries ipmitool's {@code -R}: how often to resend (default 2), so a silent BMC fails fast
 *     with a connection error rather than running into {@code timeout}
 */
public record IpmiSettings(
    String host,
    int port,
    String username,
    Secret password,
    int cipherSuite,
    PasswordSource passwordSource,
    Duration timeout,
    String ipmitool,
    int retryIntervalSeconds,
    int retries) {

  /** The IPMI-over-LAN port. */
  public static final int DEFAULT_PORT = 623;

  /** The default cipher suite; see the type's documentation for why. */
  public static final int DEFAULT_CIPHER_SUITE = 3;

  /** How the password is handed to ipmitool; never with {@code -P}. */
  public enum PasswordSource {
    /** {@code -E}: ipmitool reads {@code IPMI_PASSWORD} from its environment. */
    ENVIRONMENT,
    /**
     * {@code -f FILE}: a file readable only by this user (0600), written before and deleted after
     * each call.
     */
    FILE
  }

  /**
   * Checks every part; the message names the field and the value (never the password).
   *
   * @param host BMC address or name
   * @param port BMC UDP port
   * @param username IPMI user
   * @param password IPMI password
   * @param cipherSuite the {@code -C} cipher suite id, 0 to 17
   * @param passwordSource how the password reaches ipmitool
   * @param timeout how long one ipmitool call may take before it is killed
   * @param ipmitool the ipmitool executable (name on the PATH or absolute path)
   * @param retryIntervalSeconds ipmitool's {@code -N}: seconds to wait for an answer before
   *     resending a request (default 2)
   * @param retries ipmitool's {@code -R}: how often to resend (default 2), so a silent BMC fails
   *     fast with a connection error rather than running into {@code timeout}
   * @throws IllegalArgumentException on a missing or out-of-range part
   */
  public IpmiSettings {
    if (host == null || host.isBlank() || host.startsWith("-") || host.contains(" ")) {
      throw new IllegalArgumentException("host must be a BMC address or name, was '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (username == null || username.isEmpty() || username.startsWith("-")) {
      throw new IllegalArgumentException("username must be given, was '" + username + "'");
    }
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    if (cipherSuite < 0 || cipherSuite > 17) {
      throw new IllegalArgumentException("cipherSuite must be 0..17, was " + cipherSuite);
    }
    if (passwordSource == null) {
      throw new IllegalArgumentException("passwordSource must not be null");
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
    if (retryIntervalSeconds < 1 || retryIntervalSeconds > 60) {
      throw new IllegalArgumentException(
          "retryIntervalSeconds must be 1..60, was " + retryIntervalSeconds);
    }
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries must be 0..10, was " + retries);
    }
    if (ipmitool == null || ipmitool.isBlank()) {
      throw new IllegalArgumentException(
          "ipmitool must name the executable, was '" + ipmitool + "'");
    }
  }

  /**
   * Settings with the defaults for a BMC on port 623.
   *
   * @param host BMC address or name
   * @param username IPMI user
   * @param password IPMI password
   * @return the settings
   */
  public static IpmiSettings of(String host, String username, Secret password) {
    return new IpmiSettings(
        host,
        DEFAULT_PORT,
        username,
        password,
        DEFAULT_CIPHER_SUITE,
        PasswordSource.ENVIRONMENT,
        Duration.ofSeconds(30),
        "ipmitool",
        2,
        2);
  }

  /**
   * A copy for another host (the BMC's address after it moved, or a test's loopback peer).
   *
   * @param value the BMC's address or name
   * @return the copy
   */
  public IpmiSettings withHost(String value) {
    return new IpmiSettings(
        value,
        port,
        username,
        password,
        cipherSuite,
        passwordSource,
        timeout,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another port.
   *
   * @param value the BMC's UDP port
   * @return the copy
   */
  public IpmiSettings withPort(int value) {
    return new IpmiSettings(
        host,
        value,
        username,
        password,
        cipherSuite,
        passwordSource,
        timeout,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another cipher suite.
   *
   * @param value the cipher suite id ({@code -C})
   * @return the copy
   */
  public IpmiSettings withCipherSuite(int value) {
    return new IpmiSettings(
        host,
        port,
        username,
        password,
        value,
        passwordSource,
        timeout,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another password source.
   *
   * @param value how the password reaches ipmitool
   * @return the copy
   */
  public IpmiSettings withPasswordSource(PasswordSource value) {
    return new IpmiSettings(
        host,
        port,
        username,
        password,
        cipherSuite,
        value,
        timeout,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another timeout per call.
   *
   * @param value the time limit of each ipmitool call
   * @return the copy
   */
  public IpmiSettings withTimeout(Duration value) {
    return new IpmiSettings(
        host,
        port,
        username,
        password,
        cipherSuite,
        passwordSource,
        value,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another ipmitool executable.
   *
   * @param value the ipmitool executable
   * @return the copy
   */
  public IpmiSettings withIpmitool(String value) {
    return new IpmiSettings(
        host,
        port,
        username,
        password,
        cipherSuite,
        passwordSource,
        timeout,
        value,
        retryIntervalSeconds,
        retries);
  }

  /**
   * A copy with another retransmission interval ({@code -N}) and retry count ({@code -R}).
   *
   * @param intervalSeconds the retransmission interval in seconds
   * @param retryCount the retries of each request
   * @return the copy
   */
  public IpmiSettings withRetransmission(int intervalSeconds, int retryCount) {
    return new IpmiSettings(
        host,
        port,
        username,
        password,
        cipherSuite,
        passwordSource,
        timeout,
        ipmitool,
        intervalSeconds,
        retryCount);
  }

  /**
   * A copy with other credentials.
   *
   * @param user the IPMI user
   * @param secret its password
   * @return the copy
   */
  public IpmiSettings withCredentials(String user, Secret secret) {
    return new IpmiSettings(
        host,
        port,
        user,
        secret,
        cipherSuite,
        passwordSource,
        timeout,
        ipmitool,
        retryIntervalSeconds,
        retries);
  }

  /** {@return {@code BMC host:port}, for messages} */
  public String target() {
    return "BMC " + host + ":" + port;
  }
}
