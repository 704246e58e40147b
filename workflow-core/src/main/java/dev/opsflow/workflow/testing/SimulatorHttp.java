package dev.opsflow.workflow.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Locale;

/**
 * How every simulator writes an answer on the JDK's HTTP server, so that they all behave as RFC
 * 9110 and 9112 ask: a HEAD gets the headers of the GET (its {@code Content-Length} included) and
 * no content; a request that said {@code Connection: close} gets {@code Connection: close} back
 * (the server then closes, and a pooling client knows not to reuse the connection); 204 and 304
 * carry no content. Stateless and thread-safe.
 */
public final class SimulatorHttp {
  private SimulatorHttp() {}

  /**
   * Sends {@code status} with {@code body} (empty for none) of {@code contentType}; other headers
   * are set on the exchange before.
   *
   * @param exchange the exchange to answer
   * @param status the HTTP status
   * @param contentType the body's media type
   * @param body the body, empty for none
   * @throws IOException if the client went away
   */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body;
    var headers = exchange.getResponseHeaders();
    boolean noContent = status == 204 || status == 304 || status < 200;
    if (bytes.length > 0 && !noContent && contentType != null) {
      headers.set("Content-Type", contentType);
    }
    if (asksToClose(exchange)) {
      headers.set("Connection", "close");
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      if (bytes.length > 0 && !noContent) {
        headers.set("Content-Length", String.valueOf(bytes.length));
      }
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    if (noContent || bytes.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /**
   * Whether the request's {@code Connection} header holds the {@code close} option.
   *
   * @param exchange the exchange whose request is read
   * @return true when the client asked to close the connection after this answer
   */
  public static boolean asksToClose(HttpExchange exchange) {
    for (String value :
        exchange.getRequestHeaders().getOrDefault("Connection", java.util.List.of())) {
      for (String option : value.split(",")) {
        if (option.strip().toLowerCase(Locale.ROOT).equals("close")) {
          return true;
        }
      }
    }
    return false;
  }
}
