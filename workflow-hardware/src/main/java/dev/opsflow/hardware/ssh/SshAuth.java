package dev.opsflow.hardware.ssh;

import dev.opsflow.workflow.Secret;
import java.nio.file.Path;

/**
 * How an {@link SshClient} authenticates: a password, or a private key file (OpenSSH or PEM format,
 * optionally encrypted). Values print no secret. Immutable.
 */
public sealed interface SshAuth {

  /**
   * Password authentication.
   *
   * @param password the password
   * @return the authentication
   * @throws IllegalArgumentException if password is null
   */
  static SshAuth password(Secret password) {
    return new Password(password);
  }

  /**
   * Public key authentication with an unencrypted private key file.
   *
   * @param file the private key file
   * @return the authentication
   * @throws IllegalArgumentException if file is null
   */
  static SshAuth key(Path file) {
    return new KeyFile(file, null);
  }

  /**
   * Public key authentication with an encrypted private key file.
   *
   * @param file the private key file
   * @param passphrase the key's passphrase
   * @return the authentication
   * @throws IllegalArgumentException if file or passphrase is null
   */
  static SshAuth key(Path file, Secret passphrase) {
    if (passphrase == null) {
      throw new IllegalArgumentException("passphrase must not be null");
    }
    return new KeyFile(file, passphrase);
  }

  /**
   * Password authentication; prints as {@code ****}.
   *
   * @param password the password
   */
  record Password(Secret password) implements SshAuth {
    /**
     * Checks that a password is given.
     *
     * @param password the password
     */
    public Password {
      if (password == null) {
        throw new IllegalArgumentException("password must not be null");
      }
    }
  }

  /**
   * A private key file and its passphrase (null when the key is not encrypted).
   *
   * @param file the private key file
   * @param passphrase the key's passphrase, or null
   */
  record KeyFile(Path file, Secret passphrase) implements SshAuth {
    /**
     * Checks that a file is given.
     *
     * @param file the private key file
     * @param passphrase the key's passphrase, or null for an unencrypted key
     */
    public KeyFile {
      if (file == null) {
        throw new IllegalArgumentException("key file must not be null");
      }
    }
  }
}
