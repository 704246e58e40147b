package dev.opsflow.workflow.http;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * A JSON-over-HTTP client for one remote endpoint, on the JDK {@link HttpClient}. Adapters (Redis
 * Enterprise, Redis Cloud, MAAS, Redfish) build their typed clients on it.
 *
 * <p>Paths are appended to the settings' base URI ({@code https://api.example/v1} + {@code
 * /subscriptions}); they must already be percent-encoded, and an absolute http(s) URI is used as
 * is. Bodies are written and read with {@link Json#mapper()}; a typed call returns null when the
 * answer has no body. Use {@link #send(HttpRequestSpec)} for headers, forms, text bodies, query
 * parameters or statuses that are not errors to the caller.
 *
 * <p>Failures, none of which carries a secret in its message:
 *
 * <ul>
 *   <li>a non-2xx answer: {@link ApiException} with the API's error code and message read by the
 *       settings' {@link ErrorDecoder}; retryable for 408, 425, 429 and 5xx, kind AUTH for 401 and
 *       403; {@link ApiException#retryAfter()} from {@code Retry-After} or {@code
 *       x-rate-limit-retry-after-seconds};
 *   <li>no answer (refused, reset, unresolved host, connect timeout, TLS failure): {@link
 *       ApiException} with status 0, kind CONNECTION, retryable except for TLS handshake failures;
 *   <li>no answer within the request timeout: {@link WorkflowException} of kind TIMEOUT, retryable;
 *   <li>an answer that is not the JSON expected: {@link WorkflowException} of kind PROTOCOL;
 *   <li>interruption: {@link CancelledException}, with the thread's interrupt flag set again.
 * </ul>
 *
 * <p>The client never retries by itself: wrap calls in a step retry or {@link HttpRetry#policy}.
 * Requests are logged at DEBUG (method, URI, status, duration) and bodies and headers at TRACE,
 * redacted by {@link Redactor}. Thread-safe: share one instance per endpoint.
 */
public final class JsonHttpClient {
  private static final Logger log = LoggerFactory.getLogger(JsonHttpClient.class);
  private static final Clock CLOCK = Clock.systemUTC();

  private final HttpSettings settings;
  private final HttpClient http;

  /**
   * @param http a prepared client, or null to build one from the settings
   * @param warnings where the trust-all warning goes (the logger in production)
   */
  JsonHttpClient(HttpSettings settings, HttpClient http, Consumer<String> warnings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    this.settings = settings;
    if (settings.tls() instanceof TlsTrust.TrustAll) {
      warnings.accept(
          "TLS verification is OFF for "
              + settings.origin()
              + " (HttpSettings.withTrustAll()):"
              + " any certificate and any host name are accepted; use this only against test"
              + " systems");
    }
    this.http = http != null ? http : build(settings);
  }

  /**
   * A client built from the settings: connect timeout, TLS trust, HTTP/1.1, no redirects followed.
   *
   * @param settings the base URI, timeouts, TLS, authentication, headers and resilience
   * @return the client; thread-safe, to be shared
   * @throws IllegalArgumentException if settings is null
   * @throws WorkflowException of kind CONFIGURATION if the trusted certificates cannot be read
   */
  public static JsonHttpClient create(HttpSettings settings) {
    return new JsonHttpClient(settings, null, log::warn);
  }

  /**
   * A client that sends through a prepared JDK client (for tests or special transports). The
   * prepared client's own connect timeout, TLS and redirect settings apply; those of {@code
   * settings} are not used for it.
   *
   * @param settings the base URI, timeouts, authentication, headers and resilience
   * @param http the JDK client to send with
   * @return the client; thread-safe, to be shared
   * @throws IllegalArgumentException if an argument is null
   */
  public static JsonHttpClient create(HttpSettings settings, HttpClient http) {
    if (http == null) {
      throw new IllegalArgumentException("http must not be null");
    }
    return new JsonHttpClient(settings, http, log::warn);
  }

  private static HttpClient build(HttpSettings settings) {
    // HTTP/1.1: BMCs and appliances often mishandle HTTP/2 upgrades; nothing here needs HTTP/2.
    var builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(settings.connectTimeout());
    SSLContext context = TlsContexts.forTrust(settings.tls());
    if (context != null) {
      builder.sslContext(context);
    }
    return builder.build();
  }

  /** {@return the settings this client was built with} */
  public HttpSettings settings() {
    return settings;
  }

  /**
   * GETs a path and reads the answer as a type (use {@code JsonNode.class} for a tree).
   *
   * @param <T> the type to read
   * @param path the path below the base URI, with its query if any
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body
   */
  public <T> T get(String path, Class<T> type) {
    return send(HttpRequestSpec.get(path)).as(type);
  }

  /**
   * GETs a path and reads the answer as a generic type such as {@code List<Database>}.
   *
   * @param <T> the type to read
   * @param path the path below the base URI, with its query if any
   * @param type the generic type to read the answer as
   * @return the answer, or null for an empty body
   */
  public <T> T get(String path, TypeReference<T> type) {
    return send(HttpRequestSpec.get(path)).as(type);
  }

  /**
   * POSTs a body (a {@link RequestBody}, or any other value, written as JSON; null for none) and
   * reads the answer as a type ({@code Void.class} to ignore it).
   *
   * @param <T> the type to read
   * @param path the path below the base URI
   * @param body the body, or null for none
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body or {@code Void.class}
   */
  public <T> T post(String path, Object body, Class<T> type) {
    return send(HttpRequestSpec.of("POST", path).withBody(toBody(body)), type);
  }

  /**
   * PUTs a body (as for {@link #post}) and reads the answer as a type.
   *
   * @param <T> the type to read
   * @param path the path below the base URI
   * @param body the body, or null for none
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body or {@code Void.class}
   */
  public <T> T put(String path, Object body, Class<T> type) {
    return send(HttpRequestSpec.of("PUT", path).withBody(toBody(body)), type);
  }

  /**
   * PATCHes a body (as for {@link #post}) and reads the answer as a type.
   *
   * @param <T> the type to read
   * @param path the path below the base URI
   * @param body the body, or null for none
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body or {@code Void.class}
   */
  public <T> T patch(String path, Object body, Class<T> type) {
    return send(HttpRequestSpec.of("PATCH", path).withBody(toBody(body)), type);
  }

  /**
   * DELETEs a path, ignoring any answer body.
   *
   * @param path the path below the base URI
   */
  public void delete(String path) {
    send(HttpRequestSpec.delete(path));
  }

  /**
   * DELETEs a path and reads the answer as a type.
   *
   * @param <T> the type to read
   * @param path the path below the base URI
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body
   */
  public <T> T delete(String path, Class<T> type) {
    return send(HttpRequestSpec.delete(path), type);
  }

  /**
   * Sends a request and reads the answer as a type ({@code Void.class} to ignore it).
   *
   * @param <T> the type to read
   * @param request the method, path, query, headers, body and timeout
   * @param type the class to read the answer as
   * @return the answer, or null for an empty body or {@code Void.class}
   */
  public <T> T send(HttpRequestSpec request, Class<T> type) {
    HttpResponseData response = send(request);
    return type == Void.class ? null : response.as(type);
  }

  /**
   * Sends a request and reads the answer as a generic type.
   *
   * @param <T> the type to read
   * @param request the method, path, query, headers, body and timeout
   * @param type the generic type to read the answer as
   * @return the answer, or null for an empty body
   */
  public <T> T send(HttpRequestSpec request, TypeReference<T> type) {
    return send(request).as(type);
  }

  /**
   * Sends a request and returns the answer as data: status, headers and body. A non-2xx status
   * throws unless the request allows it ({@link HttpRequestSpec#allowingStatus}).
   *
   * @param request the method, path, query, headers, body and timeout
   * @return the status, headers and body received
   */
  public HttpResponseData send(HttpRequestSpec request) {
    var prepared = PreparedRequest.prepare(settings, request, resolve(request.pathWithQuery()));
    String method = prepared.method();
    URI uri = prepared.uri();
    if (log.isTraceEnabled()) {
      log.trace(
          "{} {} headers={} body={}",
          method,
          uri,
          prepared.redactedHeaders(),
          prepared.redact(prepared.payload()));
    }

    EndpointResilience.Guard guard = settings.resilience().guard(endpointOf(uri));
    long started = System.nanoTime();
    HttpResponse<String> answer;
    boolean failed = true;
    try {
      if (guard != null) {
        guard.before(request.timeout() != null ? request.timeout() : settings.requestTimeout());
      }
      try {
        answer = http.send(prepared.toHttpRequest(), BodyHandlers.ofString());
        int status = answer.statusCode();
        failed = status == 408 || status >= 500;
      } catch (IOException e) {
        log.debug("{} {} failed after {} ms: {}", method, uri, millisSince(started), e.toString());
        WorkflowException mapped = Failures.fromIo(prepared, e, settings.connectTimeout());
        failed = mapped.retryable();
        throw mapped;
      } finally {
        if (guard != null) {
          guard.after(failed);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(method + " " + prepared.path() + " was interrupted");
    }
    var response =
        new HttpResponseData(
            method,
            prepared.path(),
            answer.statusCode(),
            answer.headers().map(),
            answer.body() == null ? "" : answer.body());
    log.debug("{} {} -> {} in {} ms", method, uri, response.status(), millisSince(started));
    if (log.isTraceEnabled()) {
      log.trace(
          "{} {} <- {} headers={} body={}",
          method,
          uri,
          response.status(),
          Redactor.redactHeaders(response.headers()),
          prepared.redact(response.body()));
    }
    if (!response.isSuccess() && !request.allowedStatuses().contains(response.status())) {
      throw Failures.fromResponse(
          response, settings.errorDecoder(), prepared.secrets(), CLOCK.instant());
    }
    return response;
  }

  /**
   * The full URI for a path (with query) below the base URI, or the path itself when it is an
   * absolute http(s) URI.
   *
   * @param pathWithQuery a path below the base URI, with its query, or an absolute http(s) URI
   * @return the URI the request goes to
   * @throws IllegalArgumentException if the result is not a valid URI
   */
  public URI resolve(String pathWithQuery) {
    String lower = pathWithQuery.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return URI.create(pathWithQuery);
    }
    String base = settings.baseUri().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + (pathWithQuery.startsWith("/") ? "" : "/") + pathWithQuery);
  }

  /** The {@code scheme://host:port} a request goes to: its breaker's and bulkhead's key. */
  private static String endpointOf(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port;
  }

  private static RequestBody toBody(Object body) {
    if (body == null) {
      return RequestBody.none();
    }
    return body instanceof RequestBody given ? given : RequestBody.json(body);
  }

  private static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
