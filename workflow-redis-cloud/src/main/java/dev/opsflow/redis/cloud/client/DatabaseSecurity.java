package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.opsflow.workflow.Secret;
import java.util.Optional;

/**
 * A database's TLS and password settings ({@code security} in the API's answers). The password is
 * held as a {@link Secret}: it prints and serialises as {@code ****}. Immutable.
 *
 * @param enableTls whether clients must use TLS
 * @param password the default user's password, or null
 * @param sslClientAuthentication whether TLS client certificates are required
 */
public record DatabaseSecurity(
    Boolean enableTls, Secret password, Boolean sslClientAuthentication) {

  /** No TLS, no password. */
  public static final DatabaseSecurity NONE = new DatabaseSecurity(false, null, false);

  /**
   * Reads the API's form, where the password is plain text.
   *
   * @param enableTls whether clients must use TLS
   * @param password the default user's password, or null
   * @param sslClientAuthentication whether TLS client certificates are required
   * @return the settings, the password as a {@link dev.opsflow.workflow.Secret}
   */
  @JsonCreator
  public static DatabaseSecurity fromJson(
      @JsonProperty("enableTls") Boolean enableTls,
      @JsonProperty("password") String password,
      @JsonProperty("sslClientAuthentication") Boolean sslClientAuthentication) {
    return new DatabaseSecurity(
        enableTls, password == null ? null : Secret.of(password), sslClientAuthentication);
  }

  /** {@return whether TLS is on} */
  public boolean tls() {
    return Boolean.TRUE.equals(enableTls);
  }

  /** {@return the password, when there is one} */
  public Optional<Secret> passwordIfAny() {
    return password == null || password.isEmpty() ? Optional.empty() : Optional.of(password);
  }
}
