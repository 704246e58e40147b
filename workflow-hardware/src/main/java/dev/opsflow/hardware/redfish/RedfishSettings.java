package dev.opsflow.hardware.redfish;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.HttpSettings;

/**
 * How to reach one Redfish service: its origin ({@code https://10.0.0.5}), credentials and how to
 * authenticate. TLS verification is the core's default (on); trust a BMC's self-signed certificate
 * with {@code http().withTrustedPemFile(...)}. Immutable; prints no secret.
 *
 * @param http the HTTP settings; the base URI is the service's origin, paths start at {@code
 *     /redfish/v1}; their auth is replaced by the Redfish login
 * @param username the account
 * @param password its password
 * @param authMode session (with basic as fallback when the service has no sessions), or basic only
 */
public record RedfishSettings(
    HttpSettings http, String username, Secret password, AuthMode authMode) {

  /** How the client authenticates. */
  public enum AuthMode {
    /**
     * {@code POST SessionService/Sessions} for an {@code X-Auth-Token}, deleted on close; HTTP
     * basic when the service answers that it has no session service (404, 405, 501).
     */
    SESSION,
    /** HTTP basic on every request. */
    BASIC
  }

  /**
   * Checks the parts.
   *
   * @param http the HTTP settings; the base URI is the service's origin, paths start at {@code
   *     /redfish/v1}; their auth is replaced by the Redfish login
   * @param username the account
   * @param password its password
   * @param authMode session (with basic as fallback when the service has no sessions), or basic
   *     only
   * @throws IllegalArgumentException when a part is missing
   */
  public RedfishSettings {
    if (http == null) {
      throw new IllegalArgumentException("http must not be null");
    }
    if (username == null || username.isBlank()) {
      throw new IllegalArgumentException("username must be given, was '" + username + "'");
    }
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    if (authMode == null) {
      throw new IllegalArgumentException("authMode must not be null");
    }
  }

  /**
   * Session auth against {@code origin} ({@code https://bmc.example}) with default HTTP settings.
   *
   * @param origin the BMC's {@code https://host[:port]}, without a path
   * @param username the account
   * @param password its password
   * @return the settings
   */
  public static RedfishSettings of(String origin, String username, Secret password) {
    return new RedfishSettings(HttpSettings.of(origin), username, password, AuthMode.SESSION);
  }

  /**
   * A copy with other HTTP settings.
   *
   * @param value the timeouts and TLS trust
   * @return the copy
   */
  public RedfishSettings withHttp(HttpSettings value) {
    return new RedfishSettings(value, username, password, authMode);
  }

  /**
   * A copy with another auth mode.
   *
   * @param value session or basic auth
   * @return the copy
   */
  public RedfishSettings withAuthMode(AuthMode value) {
    return new RedfishSettings(http, username, password, value);
  }
}
