package dev.opsflow.workflow.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a {@link JsonHttpClient} needs to talk to one remote endpoint: base URI, timeouts, TLS
 * trust, authentication, default headers and how error bodies are decoded.
 *
 * <p>Start from {@link #of(String)} and adjust with the {@code withX} copy methods:
 *
 * <pre>{@code
 * HttpSettings.of("https://cluster.example:9443")
 *     .withAuth(Auth.basic("admin@example.com", password))
 *     .withTrustedPemFile(Path.of("/etc/opsflow/cluster-ca.pem"))
 *     .withRequestTimeout(Duration.ofSeconds(60));
 * }</pre>
 *
 * <p>Defaults: connect timeout 10 s, request timeout 30 s, {@link TlsTrust#system()}, {@link
 * Auth#none()}, no default headers, {@link ErrorDecoder#standard()}. Immutable and thread-safe.
 *
 * @param baseUri absolute http or https URI; request paths are appended to it
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a whole answer, unless a request says otherwise
 * @param tls which server certificates to accept
 * @param auth how to authenticate
 * @param defaultHeaders headers sent with every request (a request's own headers win)
 * @param errorDecoder how to read the API's error code and message from an error answer
 * @param resilience the circuit breaker and bulkhead per endpoint that requests go through (default
 *     {@link EndpointResilience#shared()})
 */
public record HttpSettings(
    URI baseUri,
    Duration connectTimeout,
    Duration requestTimeout,
    TlsTrust tls,
    Auth auth,
    Map<String, String> defaultHeaders,
    ErrorDecoder errorDecoder,
    EndpointResilience resilience) {

  /** The default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The default request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Checks every part.
   *
   * @param baseUri absolute http or https URI; request paths are appended to it
   * @param connectTimeout how long to wait for a connection
   * @param requestTimeout how long to wait for a whole answer, unless a request says otherwise
   * @param tls which server certificates to accept
   * @param auth how to authenticate
   * @param defaultHeaders headers sent with every request (a request's own headers win)
   * @param errorDecoder how to read the API's error code and message from an error answer
   * @param resilience the circuit breaker and bulkhead per endpoint that requests go through
   *     (default {@link EndpointResilience#shared()})
   * @throws IllegalArgumentException if the URI is not absolute http(s), a timeout is not positive,
   *     or a part is null
   */
  public HttpSettings {
    if (baseUri == null) {
      throw new IllegalArgumentException("baseUri must not be null");
    }
    String scheme = baseUri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("baseUri must be an http or https URI: " + baseUri);
    }
    if (baseUri.getHost() == null) {
      throw new IllegalArgumentException("baseUri must name a host: " + baseUri);
    }
    if (baseUri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "baseUri must not carry credentials; use withAuth(Auth.basic(...))");
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    if (tls == null) {
      throw new IllegalArgumentException("tls must not be null");
    }
    if (auth == null) {
      throw new IllegalArgumentException("auth must not be null");
    }
    if (defaultHeaders == null) {
      throw new IllegalArgumentException("defaultHeaders must not be null");
    }
    if (errorDecoder == null) {
      throw new IllegalArgumentException("errorDecoder must not be null");
    }
    if (resilience == null) {
      throw new IllegalArgumentException("resilience must not be null");
    }
    defaultHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(defaultHeaders));
  }

  /**
   * Settings whose requests go through {@link EndpointResilience#shared()}.
   *
   * @param baseUri absolute http or https URI; request paths are appended to it
   * @param connectTimeout how long to wait for a connection
   * @param requestTimeout how long to wait for a whole answer, unless a request says otherwise
   * @param tls which server certificates to accept
   * @param auth how to authenticate
   * @param defaultHeaders headers sent with every request (a request's own headers win)
   * @param errorDecoder how to read the API's error code and message from an error answer
   */
  public HttpSettings(
      URI baseUri,
      Duration connectTimeout,
      Duration requestTimeout,
      TlsTrust tls,
      Auth auth,
      Map<String, String> defaultHeaders,
      ErrorDecoder errorDecoder) {
    this(
        baseUri,
        connectTimeout,
        requestTimeout,
        tls,
        auth,
        defaultHeaders,
        errorDecoder,
        EndpointResilience.shared());
  }

  /**
   * Settings with every default for a base URI such as {@code https://host:9443} or {@code
   * https://api.redislabs.com/v1}.
   *
   * @param baseUri absolute http or https URI; request paths are appended to it
   * @return the settings
   * @throws IllegalArgumentException if the URI is malformed or not http(s)
   */
  public static HttpSettings of(String baseUri) {
    if (baseUri == null) {
      throw new IllegalArgumentException("baseUri must not be null");
    }
    return of(URI.create(baseUri));
  }

  /**
   * Settings with every default for a base URI.
   *
   * @param baseUri absolute http or https URI; request paths are appended to it
   * @return the settings
   * @throws IllegalArgumentException if the URI is not http(s)
   */
  public static HttpSettings of(URI baseUri) {
    return new HttpSettings(
        baseUri,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        TlsTrust.system(),
        Auth.none(),
        Map.of(),
        ErrorDecoder.standard());
  }

  /**
   * A copy with another base URI.
   *
   * @param value the absolute http or https URI request paths are appended to
   * @return a copy with that base URI
   */
  public HttpSettings withBaseUri(URI value) {
    return new HttpSettings(
        value, connectTimeout, requestTimeout, tls, auth, defaultHeaders, errorDecoder, resilience);
  }

  /**
   * A copy with another connect timeout.
   *
   * @param value the time limit of opening a connection
   * @return a copy with that timeout
   */
  public HttpSettings withConnectTimeout(Duration value) {
    return new HttpSettings(
        baseUri, value, requestTimeout, tls, auth, defaultHeaders, errorDecoder, resilience);
  }

  /**
   * A copy with another request timeout.
   *
   * @param value the time limit of each request, its answer included
   * @return a copy with that timeout
   */
  public HttpSettings withRequestTimeout(Duration value) {
    return new HttpSettings(
        baseUri, connectTimeout, value, tls, auth, defaultHeaders, errorDecoder, resilience);
  }

  /**
   * A copy with another TLS trust choice.
   *
   * @param value which certificates the client trusts, and whether it checks host names
   * @return a copy with that trust
   */
  public HttpSettings withTls(TlsTrust value) {
    return new HttpSettings(
        baseUri,
        connectTimeout,
        requestTimeout,
        value,
        auth,
        defaultHeaders,
        errorDecoder,
        resilience);
  }

  /**
   * A copy that trusts only the certificates in a PEM string; see {@link TlsTrust#pem}.
   *
   * @param pem one or more PEM certificate blocks
   * @return a copy that trusts only those certificates
   */
  public HttpSettings withTrustedPem(String pem) {
    return withTls(TlsTrust.pem(pem));
  }

  /**
   * A copy that trusts only the certificates in a PEM file; see {@link TlsTrust#pemFile}.
   *
   * @param file a PEM file with one or more certificate blocks
   * @return a copy that trusts only those certificates
   */
  public HttpSettings withTrustedPemFile(Path file) {
    return withTls(TlsTrust.pemFile(file));
  }

  /**
   * {@return a copy that accepts any certificate and host name} For test systems only: every client
   * built with it logs a WARN.
   */
  public HttpSettings withTrustAll() {
    return withTls(TlsTrust.trustAll());
  }

  /**
   * A copy with another authentication.
   *
   * @param value how the client authenticates every request
   * @return a copy with that authentication
   */
  public HttpSettings withAuth(Auth value) {
    return new HttpSettings(
        baseUri,
        connectTimeout,
        requestTimeout,
        tls,
        value,
        defaultHeaders,
        errorDecoder,
        resilience);
  }

  /**
   * A copy whose default headers are exactly {@code value}.
   *
   * @param value the headers sent with every request, replacing the present ones
   * @return a copy with those headers
   */
  public HttpSettings withDefaultHeaders(Map<String, String> value) {
    return new HttpSettings(
        baseUri, connectTimeout, requestTimeout, tls, auth, value, errorDecoder, resilience);
  }

  /**
   * A copy with one more default header (replacing one of the same name).
   *
   * @param name the header's name
   * @param value its value
   * @return a copy with the header added
   * @throws IllegalArgumentException if the name or value is null
   */
  public HttpSettings withDefaultHeader(String name, String value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("header name and value must not be null");
    }
    var headers = new LinkedHashMap<>(defaultHeaders);
    headers.keySet().removeIf(name::equalsIgnoreCase);
    headers.put(name, value);
    return withDefaultHeaders(headers);
  }

  /**
   * A copy whose requests go through {@code value}'s breakers and bulkheads; {@link
   * EndpointResilience#off()} sends every request.
   *
   * @param value the breakers and bulkheads to share
   * @return a copy with that resilience
   */
  public HttpSettings withResilience(EndpointResilience value) {
    return new HttpSettings(
        baseUri, connectTimeout, requestTimeout, tls, auth, defaultHeaders, errorDecoder, value);
  }

  /**
   * A copy with another error decoder.
   *
   * @param value turns an error answer into the API's error code and message
   * @return a copy with that decoder
   */
  public HttpSettings withErrorDecoder(ErrorDecoder value) {
    return new HttpSettings(
        baseUri, connectTimeout, requestTimeout, tls, auth, defaultHeaders, value, resilience);
  }

  /**
   * {@return the base URI's {@code scheme://host:port}: the endpoint, for messages and resilience}
   */
  public String origin() {
    int port = baseUri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(baseUri.getScheme()) ? 443 : 80;
    }
    return baseUri.getScheme() + "://" + baseUri.getHost() + ":" + port;
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0");
    }
  }
}
