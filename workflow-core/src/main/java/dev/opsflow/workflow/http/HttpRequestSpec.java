package dev.opsflow.workflow.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One request for {@link JsonHttpClient#send(HttpRequestSpec)}: method, path (relative to the base
 * URI, already percent-encoded), query parameters, extra headers, body, an optional timeout of its
 * own, and statuses to hand back as data instead of throwing.
 *
 * <pre>{@code
 * HttpRequestSpec.put("/redfish/v1/Systems/1/Bios/Settings", RequestBody.json(changes))
 *     .withHeader("If-Match", etag)
 *     .withQuery("expand", "true");
 * }</pre>
 *
 * <p>Immutable: every {@code withX} returns a copy. Thread-safe.
 *
 * @param method the HTTP method, upper case
 * @param path the path below the base URI (or an absolute http(s) URI), without query
 * @param query query parameters in order; a name may have several values
 * @param headers extra headers; they win over default and auth headers
 * @param body the body
 * @param timeout this request's timeout, or null for the settings' request timeout
 * @param allowedStatuses non-2xx statuses returned as {@link HttpResponseData} rather than thrown
 */
public record HttpRequestSpec(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> headers,
    RequestBody body,
    Duration timeout,
    Set<Integer> allowedStatuses) {

  /**
   * Checks and copies every part.
   *
   * @param method the HTTP method, upper case
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @param query query parameters in order; a name may have several values
   * @param headers extra headers; they win over default and auth headers
   * @param body the body
   * @param timeout this request's timeout, or null for the settings' request timeout
   * @param allowedStatuses non-2xx statuses returned as {@link HttpResponseData} rather than thrown
   * @throws IllegalArgumentException if the method or path is blank, or a part is null
   */
  public HttpRequestSpec {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("method must not be blank");
    }
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path must not be blank");
    }
    if (query == null || headers == null || body == null || allowedStatuses == null) {
      throw new IllegalArgumentException("query, headers, body and allowedStatuses must be given");
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be > 0");
    }
    method = method.toUpperCase(Locale.ROOT);
    var queryCopy = new LinkedHashMap<String, List<String>>();
    query.forEach((name, values) -> queryCopy.put(name, List.copyOf(values)));
    query = Collections.unmodifiableMap(queryCopy);
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    allowedStatuses = Set.copyOf(allowedStatuses);
  }

  /**
   * A request with the given method and path, no body.
   *
   * @param method the HTTP method, upper case
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @return the request
   */
  public static HttpRequestSpec of(String method, String path) {
    return new HttpRequestSpec(
        method, path, Map.of(), Map.of(), RequestBody.none(), null, Set.of());
  }

  /**
   * A GET.
   *
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @return the request
   */
  public static HttpRequestSpec get(String path) {
    return of("GET", path);
  }

  /**
   * A POST with a body; see {@link RequestBody}.
   *
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @param body the body
   * @return the request
   */
  public static HttpRequestSpec post(String path, RequestBody body) {
    return of("POST", path).withBody(body);
  }

  /**
   * A PUT with a body.
   *
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @param body the body
   * @return the request
   */
  public static HttpRequestSpec put(String path, RequestBody body) {
    return of("PUT", path).withBody(body);
  }

  /**
   * A PATCH with a body.
   *
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @param body the body
   * @return the request
   */
  public static HttpRequestSpec patch(String path, RequestBody body) {
    return of("PATCH", path).withBody(body);
  }

  /**
   * A DELETE.
   *
   * @param path the path below the base URI (or an absolute http(s) URI), without query
   * @return the request
   */
  public static HttpRequestSpec delete(String path) {
    return of("DELETE", path);
  }

  /**
   * A copy with another body.
   *
   * @param value the new body; {@link RequestBody#none()} for none
   * @return a copy with that body
   */
  public HttpRequestSpec withBody(RequestBody value) {
    return new HttpRequestSpec(method, path, query, headers, value, timeout, allowedStatuses);
  }

  /**
   * A copy with one more query parameter. A null value is left out; a collection adds one parameter
   * per element; other values are written with {@code String.valueOf}.
   *
   * @param name the parameter's name
   * @param value its value: null leaves it out, a collection adds one parameter per element
   * @return a copy with the parameter added
   * @throws IllegalArgumentException if the name is null
   */
  public HttpRequestSpec withQuery(String name, Object value) {
    if (name == null) {
      throw new IllegalArgumentException("query parameter name must not be null");
    }
    var copy = new LinkedHashMap<>(query);
    var values = new ArrayList<>(copy.getOrDefault(name, List.of()));
    if (value instanceof Collection<?> many) {
      many.stream().filter(v -> v != null).forEach(v -> values.add(String.valueOf(v)));
    } else if (value != null) {
      values.add(String.valueOf(value));
    }
    if (values.isEmpty()) {
      return this;
    }
    copy.put(name, values);
    return new HttpRequestSpec(method, path, copy, headers, body, timeout, allowedStatuses);
  }

  /**
   * A copy with several query parameters added; see {@link #withQuery(String, Object)}.
   *
   * @param parameters names and values, as for {@link #withQuery(String, Object)}
   * @return a copy with the parameters added
   * @throws IllegalArgumentException if the map is null
   */
  public HttpRequestSpec withQuery(Map<String, ?> parameters) {
    if (parameters == null) {
      throw new IllegalArgumentException("parameters must not be null");
    }
    HttpRequestSpec spec = this;
    for (var entry : parameters.entrySet()) {
      spec = spec.withQuery(entry.getKey(), entry.getValue());
    }
    return spec;
  }

  /**
   * A copy with one more header, replacing one of the same name (ignoring case). Headers the JDK
   * client manages itself ({@code Host}, {@code Content-Length}, {@code Connection}, {@code
   * Expect}, {@code Upgrade}) are refused when the request is sent.
   *
   * @param name the header's name
   * @param value its value
   * @return a copy with the header
   * @throws IllegalArgumentException if the name or value is null
   */
  public HttpRequestSpec withHeader(String name, String value) {
    if (name == null || value == null) {
      throw new IllegalArgumentException("header name and value must not be null");
    }
    var copy = new LinkedHashMap<>(headers);
    copy.keySet().removeIf(name::equalsIgnoreCase);
    copy.put(name, value);
    return new HttpRequestSpec(method, path, query, copy, body, timeout, allowedStatuses);
  }

  /**
   * A copy with a timeout of its own.
   *
   * @param value the time limit of this request, replacing the client's
   * @return a copy with that timeout
   */
  public HttpRequestSpec withTimeout(Duration value) {
    return new HttpRequestSpec(method, path, query, headers, body, value, allowedStatuses);
  }

  /**
   * A copy that returns the given non-2xx statuses as data instead of throwing (a 404 that means
   * "absent", a 409 the caller handles).
   *
   * @param statuses the statuses to return as data
   * @return a copy that allows those statuses
   */
  public HttpRequestSpec allowingStatus(int... statuses) {
    var copy = new LinkedHashSet<>(allowedStatuses);
    for (int status : statuses) {
      copy.add(status);
    }
    return new HttpRequestSpec(method, path, query, headers, body, timeout, copy);
  }

  /** {@return the path followed by the encoded query string, if any} */
  public String pathWithQuery() {
    if (query.isEmpty()) {
      return path;
    }
    var joiner = new StringJoiner("&");
    query.forEach(
        (name, values) -> values.forEach(v -> joiner.add(encode(name) + "=" + encode(v))));
    return path + (path.contains("?") ? "&" : "?") + joiner;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
