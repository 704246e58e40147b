package dev.opsflow.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.opsflow.workflow.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP request as a route sees it: method, path, the route's path parameters, query parameters
 * and the body (read on demand, at most a route's limit). Not thread-safe.
 */
final class Request {
  /** The most bytes of a query string. */
  static final int MAX_QUERY = 4096;

  private final HttpExchange exchange;
  private final Map<String, String> query;
  private Matcher pathMatch;

  Request(HttpExchange exchange) {
    this.exchange = exchange;
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null && raw.length() > MAX_QUERY) {
      throw new HttpError(
          414, "URI_TOO_LONG", "the query string must be at most " + MAX_QUERY + " bytes");
    }
    this.query = parseQuery(raw);
  }

  void match(Matcher m) {
    this.pathMatch = m;
  }

  /** The exchange, for streaming routes. */
  HttpExchange exchange() {
    return exchange;
  }

  /** The path parameter {@code name} of the route's pattern, decoded. */
  public String path(String name) {
    return URLDecoder.decode(pathMatch.group(name), StandardCharsets.UTF_8);
  }

  /** The query parameter {@code name}, or null when absent or empty. */
  public String param(String name) {
    String v = query.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** A request header, or null. */
  public String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /**
   * The body as JSON (an empty body is an empty object).
   *
   * @throws HttpError 413 past {@code maxBytes}, 415 when it is not JSON, 400 when it is malformed
   */
  public JsonNode json(int maxBytes) {
    String type = header("Content-Type");
    byte[] body = body(maxBytes);
    if (body.length == 0) {
      return Json.mapper().createObjectNode();
    }
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HttpError(
          415, "UNSUPPORTED_MEDIA_TYPE", "the body must be JSON (Content-Type: application/json)");
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || !node.isObject()) {
        throw HttpError.badRequest("the body must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw HttpError.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private byte[] body(int maxBytes) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new HttpError(
            413, "PAYLOAD_TOO_LARGE", "the body must be at most " + maxBytes + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw HttpError.badRequest("the body could not be read: " + e.getMessage());
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    var out = new LinkedHashMap<String, String>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : List.of(raw.split("&"))) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("the query parameter '" + k + "' is not URL-encoded correctly");
      }
    }
    return out;
  }
}
