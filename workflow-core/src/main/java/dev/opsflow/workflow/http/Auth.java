package dev.opsflow.workflow.http;

import dev.opsflow.workflow.Secret;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link JsonHttpClient} authenticates: nothing, HTTP basic, fixed secret headers (Redis
 * Cloud's {@code x-api-key} and {@code x-api-secret-key}), a bearer token, or a {@link
 * RequestSigner} that computes headers per request (MAAS OAuth1, Redfish session tokens).
 *
 * <p>Values are immutable and thread-safe; secrets stay wrapped in {@link Secret} and are revealed
 * only when a request is built.
 */
public sealed interface Auth {

  /** {@return no authentication} */
  static Auth none() {
    return None.INSTANCE;
  }

  /**
   * HTTP basic authentication ({@code Authorization: Basic ...}).
   *
   * @param username the user name, sent in clear (inside TLS)
   * @param password the password
   * @return the authentication
   * @throws IllegalArgumentException if an argument is null
   */
  static Auth basic(String username, Secret password) {
    return new Basic(username, password);
  }

  /**
   * Fixed headers whose values are secrets, sent with every request.
   *
   * @param headers header names and their secret values, in the order to send them
   * @return the authentication
   * @throws IllegalArgumentException if the map is null or holds a null name or value
   */
  static Auth headers(Map<String, Secret> headers) {
    return new Headers(headers);
  }

  /**
   * A bearer token ({@code Authorization: Bearer ...}).
   *
   * @param token the token
   * @return the authentication
   * @throws IllegalArgumentException if the token is null
   */
  static Auth bearer(Secret token) {
    return new Bearer(token);
  }

  /**
   * Headers computed for each request by a signer.
   *
   * @param signer computes the headers of each request from its method, URI and body
   * @return the authentication
   * @throws IllegalArgumentException if the signer is null
   */
  static Auth custom(RequestSigner signer) {
    return new Custom(signer);
  }

  /** No authentication. */
  enum None implements Auth {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
      return "Auth.none()";
    }
  }

  /**
   * HTTP basic authentication; the password prints as {@code ****}.
   *
   * @param username the user name
   * @param password the password
   */
  record Basic(String username, Secret password) implements Auth {
    /**
     * Checks that both parts are given.
     *
     * @param username the user name, sent in clear (inside TLS)
     * @param password the password, never printed
     */
    public Basic {
      if (username == null) {
        throw new IllegalArgumentException("username must not be null");
      }
      if (password == null) {
        throw new IllegalArgumentException("password must not be null");
      }
    }
  }

  /**
   * Fixed secret headers, in the order given.
   *
   * @param headers header names and their secret values
   */
  record Headers(Map<String, Secret> headers) implements Auth {
    /**
     * Copies the map, keeping its order.
     *
     * @param headers header names and their secret values, in the order to send them
     */
    public Headers {
      if (headers == null) {
        throw new IllegalArgumentException("headers must not be null");
      }
      var copy = new LinkedHashMap<String, Secret>();
      headers.forEach(
          (name, value) -> {
            if (name == null || value == null) {
              throw new IllegalArgumentException("header names and values must not be null");
            }
            copy.put(name, value);
          });
      headers = Collections.unmodifiableMap(copy);
    }
  }

  /**
   * A bearer token; it prints as {@code ****}.
   *
   * @param token the token
   */
  record Bearer(Secret token) implements Auth {
    /**
     * Checks that the token is given.
     *
     * @param token the token, never printed
     */
    public Bearer {
      if (token == null) {
        throw new IllegalArgumentException("token must not be null");
      }
    }
  }

  /**
   * Headers computed per request by {@link #signer()}.
   *
   * @param signer computes the headers of each request
   */
  record Custom(RequestSigner signer) implements Auth {
    /**
     * Checks that the signer is given.
     *
     * @param signer computes the headers of each request
     */
    public Custom {
      if (signer == null) {
        throw new IllegalArgumentException("signer must not be null");
      }
    }
  }
}
