package dev.opsflow.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opsflow.workflow.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests to routes by method and path pattern, checks the {@link Guard}, and turns
 * every failure into a JSON error (never a stack trace). Thread-safe once built.
 */
final class Router implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private static final int MAX_PATH = 2048;

  /** A route's work: a reply, or null when it answered the exchange itself (a stream). */
  @FunctionalInterface
  interface Route {
    Reply handle(Request request) throws IOException;
  }

  private record Entry(String method, Pattern pattern, boolean changes, Route route) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Guard guard;

  Router(Guard guard) {
    this.guard = guard;
  }

  /** A route that only reads. {@code pattern} uses named groups for path parameters. */
  Router get(String pattern, Route route) {
    entries.add(new Entry("GET", Pattern.compile(pattern), false, route));
    return this;
  }

  /** A route that changes something: it needs the credential. */
  Router post(String pattern, Route route) {
    entries.add(new Entry("POST", Pattern.compile(pattern), true, route));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Reply reply;
      try {
        reply = dispatch(exchange);
      } catch (HttpError e) {
        reply = error(e);
      } catch (RuntimeException e) {
        LOG.warn("dashboard request {} {} failed", exchange.getRequestMethod(), path(exchange), e);
        reply =
            error(
                new HttpError(
                    500, "INTERNAL", "the request failed: " + e.getClass().getSimpleName()));
      }
      if (reply != null) {
        send(exchange, reply);
      }
    } catch (IOException e) {
      LOG.debug("dashboard client went away: {}", e.toString());
    }
  }

  private Reply dispatch(HttpExchange exchange) throws IOException {
    String path = path(exchange);
    if (path.length() > MAX_PATH) {
      throw new HttpError(414, "URI_TOO_LONG", "the path must be at most " + MAX_PATH + " bytes");
    }
    var request = new Request(exchange);
    guard.checkOrigin(request);
    String method = exchange.getRequestMethod();
    List<String> allowed = new ArrayList<>();
    for (Entry e : entries) {
      Matcher m = e.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      boolean head = method.equals("HEAD") && e.method().equals("GET");
      if (!e.method().equals(method) && !head) {
        allowed.add(e.method());
        continue;
      }
      if (e.changes()) {
        guard.checkCredential(request);
      }
      request.match(m);
      return e.route().handle(request);
    }
    if (!allowed.isEmpty()) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new HttpError(
          405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + "; use " + allowed);
    }
    throw HttpError.notFound("no such page or API route: " + path);
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  static Reply error(HttpError e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", e.status());
    body.put("code", e.code());
    body.put("message", e.getMessage());
    body.putAll(e.extra());
    return Reply.json(e.status(), Map.of("error", body));
  }

  /** Headers every response carries. */
  static void secure(HttpExchange exchange) {
    var h = exchange.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'");
    h.set("Cache-Control", "no-store");
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    secure(exchange);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(
        reply.status(), head ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
    if (!head && reply.body().length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  static String json(Object value) {
    return Json.mapper().writeValueAsString(value);
  }
}
