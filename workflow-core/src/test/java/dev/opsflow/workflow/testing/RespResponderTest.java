package dev.opsflow.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The in-process RESP responder answers like a redis-server with {@code requirepass}. */
class RespResponderTest {

  /** One connection, speaking RESP arrays or inline commands. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    Client(RedisEndpoint endpoint) throws IOException {
      socket = new Socket(endpoint.host(), endpoint.port());
      socket.setSoTimeout(5000);
      out = socket.getOutputStream();
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends a command as a RESP array; returns the first reply line. */
    String send(String... args) throws IOException {
      var sb = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        sb.append('$')
            .append(arg.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(arg)
            .append("\r\n");
      }
      return raw(sb.toString());
    }

    String raw(String bytes) throws IOException {
      out.write(bytes.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.readLine();
    }

    String nextLine() throws IOException {
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void withoutPasswordAnswersPingAndEcho() throws IOException {
    try (RespResponder responder = RespResponder.start(null);
        Client c = new Client(responder)) {
      assertThat(responder.kind()).isEqualTo("responder");
      assertThat(c.send("PING")).isEqualTo("+PONG");
      assertThat(c.send("PING", "héllo")).isEqualTo("$6");
      assertThat(c.nextLine()).isEqualTo("héllo");
      assertThat(c.send("ECHO", "x")).isEqualTo("$1");
      assertThat(c.nextLine()).isEqualTo("x");
      assertThat(c.send("AUTH", "anything")).startsWith("-ERR AUTH <password> called without");
    }
  }

  @Test
  void requiresAuthBeforeOtherCommands() throws IOException {
    try (RespResponder responder = RespResponder.start("s3cret");
        Client c = new Client(responder)) {
      assertThat(c.send("PING")).isEqualTo("-NOAUTH Authentication required.");
      assertThat(c.send("AUTH", "wrong")).startsWith("-WRONGPASS");
      assertThat(c.send("PING")).startsWith("-NOAUTH");
      assertThat(c.send("AUTH", "s3cret")).isEqualTo("+OK");
      assertThat(c.send("PING")).isEqualTo("+PONG");
    }
  }

  @Test
  void acceptsTheDefaultUserByNameAndNoOther() throws IOException {
    try (RespResponder responder = RespResponder.start("s3cret");
        Client c = new Client(responder)) {
      assertThat(c.send("AUTH", "alice", "s3cret")).startsWith("-WRONGPASS");
      assertThat(c.send("AUTH", "default", "s3cret")).isEqualTo("+OK");
      assertThat(c.send("AUTH")).isEqualTo("-ERR wrong number of arguments for 'auth' command");
    }
  }

  @Test
  void answersInlineCommandsEndedByCrLfOrLf() throws IOException {
    try (RespResponder responder = RespResponder.start("pw");
        Client c = new Client(responder)) {
      assertThat(c.raw("AUTH pw\r\n")).isEqualTo("+OK");
      assertThat(c.raw("\r\nPING\n")).isEqualTo("+PONG");
    }
  }

  @Test
  void speaksResp2OnlyAndRefusesUnknownCommands() throws IOException {
    try (RespResponder responder = RespResponder.start(null);
        Client c = new Client(responder)) {
      assertThat(c.send("HELLO", "3")).startsWith("-NOPROTO");
      assertThat(c.send("HELLO", "2")).isEqualTo("*4");
      for (int i = 0; i < 7; i++) {
        c.nextLine();
      }
      assertThat(c.send("SET", "k", "v")).startsWith("-ERR unknown command 'SET'");
      assertThat(c.send("QUIT")).isEqualTo("+OK");
      assertThat(c.nextLine()).as("the connection is closed after QUIT").isNull();
    }
  }

  @Test
  void dropsAClientThatSpeaksNonsenseAndKeepsServingOthers() throws IOException {
    try (RespResponder responder = RespResponder.start(null)) {
      try (Client bad = new Client(responder)) {
        assertThat(bad.raw("*x\r\n")).isNull();
      }
      try (Client good = new Client(responder)) {
        assertThat(good.send("PING")).isEqualTo("+PONG");
      }
    }
  }

  @Test
  void closeAlsoClosesOpenConnections() throws IOException {
    RespResponder responder = RespResponder.start(null);
    try (Client c = new Client(responder)) {
      assertThat(c.send("PING")).isEqualTo("+PONG");
      responder.close();
      assertThat(c.nextLine()).isNull();
    }
  }

  /**
   * A thread blocked in {@code accept} keeps the kernel's listening socket alive for a moment after
   * {@code ServerSocket.close()}; the responder used to serve a connection made in that moment (37
   * of 2,000 on a loaded machine, and once in CI). After close() returns, none may be answered.
   */
  @Test
  void answersNothingOnceClosed() {
    int answered = 0;
    for (int i = 0; i < 300; i++) {
      RespResponder responder = RespResponder.start(null);
      responder.close();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(responder.host(), responder.port()), 1000);
        socket.setSoTimeout(1000);
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        if (socket.getInputStream().read() >= 0) {
          answered++;
        }
      } catch (IOException refusedOrReset) {
        // what a closed endpoint does
      }
    }
    assertThat(answered).as("connections answered after close()").isZero();
  }

  @Test
  void aTakenFixedPortIsAnIllegalStateNamingIt() {
    try (RespResponder first = RespResponder.start(null)) {
      assertThatThrownBy(() -> RespResponder.start(null, null, first.port()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + first.port());
    }
  }
}
