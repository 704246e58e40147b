package dev.opsflow.hardware.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * Which server host keys an {@link SshClient} trusts. The default is the user's {@code
 * ~/.ssh/known_hosts}; a pinned key suits freshly installed machines whose key the provisioning
 * system knows. Accepting any key exists for lab use only: it is an explicit choice, and every
 * connection made with it logs a warning with the key's fingerprint. Immutable.
 */
public sealed interface HostKeyPolicy {

  /**
   * Trust the keys an OpenSSH {@code known_hosts} file lists for the host (hashed or not).
   *
   * @param file the known_hosts file
   * @return the policy
   */
  static HostKeyPolicy knownHosts(Path file) {
    return new KnownHosts(file);
  }

  /** {@return {@code ~/.ssh/known_hosts}} */
  static HostKeyPolicy defaultKnownHosts() {
    return new KnownHosts(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
  }

  /**
   * Trust exactly these public keys, each in OpenSSH's one-line form ({@code ssh-ed25519 AAAA...
   * [comment]}, as in a {@code .pub} file or {@code ssh-keyscan}'s output without the host).
   *
   * @param publicKeys the keys, one per entry
   * @return the policy
   * @throws IllegalArgumentException if no key is given or a key cannot be read
   */
  static HostKeyPolicy pinned(String... publicKeys) {
    return new Pinned(List.of(publicKeys));
  }

  /**
   * Accept any host key, logging a warning on every connection. Never for production.
   *
   * @return the policy
   */
  static HostKeyPolicy acceptAnyInsecure() {
    return AcceptAny.INSTANCE;
  }

  /**
   * Keys from a known_hosts file.
   *
   * @param file the known_hosts file
   */
  record KnownHosts(Path file) implements HostKeyPolicy {
    /**
     * Checks that the file is given.
     *
     * @param file the known_hosts file
     */
    public KnownHosts {
      if (file == null) {
        throw new IllegalArgumentException("known_hosts file must not be null");
      }
    }
  }

  /**
   * Pinned public keys in OpenSSH one-line form.
   *
   * @param publicKeys the keys, one per entry
   */
  record Pinned(List<String> publicKeys) implements HostKeyPolicy {
    /**
     * Checks and copies the keys.
     *
     * @param publicKeys the keys, one per entry
     */
    public Pinned {
      if (publicKeys == null || publicKeys.isEmpty()) {
        throw new IllegalArgumentException("at least one pinned public key must be given");
      }
      publicKeys = List.copyOf(publicKeys);
      HostKeyVerifiers.parse(publicKeys);
    }
  }

  /** Any key, with a warning. */
  enum AcceptAny implements HostKeyPolicy {
    /** The one instance. */
    INSTANCE
  }
}
