package dev.opsflow.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every simulator's answers look like on the wire (RFC 9110/9112). */
class SimulatorHttpTest {
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            boolean empty = exchange.getRequestURI().getPath().equals("/empty");
            SimulatorHttp.send(
                exchange,
                empty ? 204 : 200,
                "application/json",
                "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String exchange(String... requests) throws Exception {
    try (var socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
      socket.setSoTimeout(10_000);
      for (String r : requests) {
        socket.getOutputStream().write(r.getBytes(StandardCharsets.US_ASCII));
      }
      var out = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.US_ASCII);
    }
  }

  private static String request(String method, String path, boolean close) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: sim\r\n"
        + (close ? "Connection: keep-alive, close\r\n" : "")
        + "\r\n";
  }

  @Test
  void aRequestAskingToCloseGetsConnectionCloseBack() throws Exception {
    String answer = exchange(request("GET", "/x", true));
    assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close\r\n");
    assertThat(answer).endsWith("{\"ok\":true}");
  }

  @Test
  void headGetsTheContentLengthOfGetAndNoContent() throws Exception {
    String answer = exchange(request("HEAD", "/x", false), request("GET", "/x", true));
    String head = answer.substring(0, answer.indexOf("HTTP/1.1 200", 1));
    assertThat(head).containsIgnoringCase("Content-Length: 11\r\n").endsWith("\r\n\r\n");
    assertThat(answer.substring(head.length()))
        .startsWith("HTTP/1.1 200")
        .endsWith("{\"ok\":true}");
  }

  @Test
  void noContentCarriesNoBodyAndTheConnectionStaysUsable() throws Exception {
    String answer = exchange(request("GET", "/empty", false), request("GET", "/x", true));
    assertThat(answer)
        .startsWith("HTTP/1.1 204")
        .contains("HTTP/1.1 200")
        .endsWith("{\"ok\":true}");
    assertThat(answer.substring(0, answer.indexOf("HTTP/1.1 200"))).doesNotContain("{\"ok\"");
  }
}
