package dev.opsflow.workflow.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A JDK HTTP(S) server on loopback with scripted answers per "METHOD /path" and a log of the
 * requests it received.
 */
final class TestServer implements AutoCloseable {

  /** A request as the server saw it. */
  record Recorded(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** What to do with a request. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private TestServer(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  static TestServer http() throws IOException {
    return new TestServer(HttpServer.create(loopback(), 0));
  }

  static TestServer https(SSLContext context) throws IOException {
    HttpsServer server = HttpsServer.create(loopback(), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    return new TestServer(server);
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** Where to reach the server, e.g. {@code http://127.0.0.1:41234}. */
  String baseUri() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  TestServer on(String method, String path, Handler handler) {
    handlers.put(method + " " + path, handler);
    return this;
  }

  TestServer on(String method, String path, int status, String body, String... headers) {
    return on(method, path, exchange -> respond(exchange, status, body, headers));
  }

  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  Recorded lastRequest() {
    return requests.get(requests.size() - 1);
  }

  static void respond(HttpExchange exchange, int status, String body, String... headers)
      throws IOException {
    for (int i = 0; i + 1 < headers.length; i += 2) {
      exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null && !exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var uri = exchange.getRequestURI();
    requests.add(
        new Recorded(
            exchange.getRequestMethod(),
            uri.getPath(),
            uri.getRawQuery(),
            Map.copyOf(exchange.getRequestHeaders()),
            body));
    Handler handler = handlers.get(exchange.getRequestMethod() + " " + uri.getPath());
    try {
      if (handler == null) {
        respond(exchange, 404, "{\"error_code\":\"not_found\",\"description\":\"no route\"}");
      } else {
        handler.handle(exchange);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (Exception e) {
      respond(exchange, 500, "{\"message\":\"test handler failed: " + e + "\"}");
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
