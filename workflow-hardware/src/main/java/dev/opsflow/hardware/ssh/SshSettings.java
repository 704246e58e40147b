package dev.opsflow.hardware.ssh;

import java.time.Duration;

/**
 * How to reach one SSH server: host, port, user, authentication, host key policy and timeouts.
 *
 * <p>Start from {@link #of(String, String, SshAuth)} (port 22, {@code ~/.ssh/known_hosts}, connect
 * and auth timeouts of 10 s, transfers of 10 min) and adjust with the {@code withX} methods.
 * Immutable and thread-safe; prints no secret.
 *
 * @param host server address or name
 * @param port server port
 * @param username the user to log in as
 * @param auth how to authenticate
 * @param hostKeys which host keys to trust
 * @param connectTimeout how long to wait for the TCP connection and key exchange
 * @param authTimeout how long to wait for authentication
 * @param transferTimeout how long one SFTP upload or download may take before it is abandoned
 *     (default 10 minutes)
 */
public record SshSettings(
    String host,
    int port,
    String username,
    SshAuth auth,
    HostKeyPolicy hostKeys,
    Duration connectTimeout,
    Duration authTimeout,
    Duration transferTimeout) {

  /**
   * Checks every part; messages name the field and the value.
   *
   * @param host server address or name
   * @param port server port
   * @param username the user to log in as
   * @param auth how to authenticate
   * @param hostKeys which host keys to trust
   * @param connectTimeout how long to wait for the TCP connection and key exchange
   * @param authTimeout how long to wait for authentication
   * @param transferTimeout how long one SFTP upload or download may take before it is abandoned
   *     (default 10 minutes)
   * @throws IllegalArgumentException on a missing or out-of-range part
   */
  public SshSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be given, was '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("username must be given, was '" + username + "'");
    }
    if (auth == null) {
      throw new IllegalArgumentException("auth must not be null");
    }
    if (hostKeys == null) {
      throw new IllegalArgumentException("hostKeys must not be null");
    }
    positive(connectTimeout, "connectTimeout");
    positive(authTimeout, "authTimeout");
    positive(transferTimeout, "transferTimeout");
  }

  /**
   * Settings for port 22 trusting {@code ~/.ssh/known_hosts}.
   *
   * @param host server address or name
   * @param username the user to log in as
   * @param auth how to authenticate
   * @return the settings
   */
  public static SshSettings of(String host, String username, SshAuth auth) {
    return new SshSettings(
        host,
        22,
        username,
        auth,
        HostKeyPolicy.defaultKnownHosts(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofMinutes(10));
  }

  /**
   * A copy with another port.
   *
   * @param value the SSH port
   * @return the copy
   */
  public SshSettings withPort(int value) {
    return new SshSettings(
        host, value, username, auth, hostKeys, connectTimeout, authTimeout, transferTimeout);
  }

  /**
   * A copy with another host key policy.
   *
   * @param value how host keys are checked
   * @return the copy
   */
  public SshSettings withHostKeys(HostKeyPolicy value) {
    return new SshSettings(
        host, port, username, auth, value, connectTimeout, authTimeout, transferTimeout);
  }

  /**
   * A copy with another authentication.
   *
   * @param value how to authenticate
   * @return the copy
   */
  public SshSettings withAuth(SshAuth value) {
    return new SshSettings(
        host, port, username, value, hostKeys, connectTimeout, authTimeout, transferTimeout);
  }

  /**
   * A copy with other connect and auth timeouts.
   *
   * @param connect the time limit of connecting
   * @param authentication the time limit of authenticating
   * @return the copy
   */
  public SshSettings withTimeouts(Duration connect, Duration authentication) {
    return new SshSettings(
        host, port, username, auth, hostKeys, connect, authentication, transferTimeout);
  }

  /**
   * A copy with another SFTP transfer timeout.
   *
   * @param value the time limit of a transfer
   * @return the copy
   */
  public SshSettings withTransferTimeout(Duration value) {
    return new SshSettings(
        host, port, username, auth, hostKeys, connectTimeout, authTimeout, value);
  }

  /** {@return {@code user@host:port}, for messages} */
  public String target() {
    return username + "@" + host + ":" + port;
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
  }
}
