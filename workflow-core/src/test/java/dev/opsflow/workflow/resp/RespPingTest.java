package dev.opsflow.workflow.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.peers.SelfSignedTls;
import dev.opsflow.workflow.testing.RespResponder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PING check against the in-process responder and against servers that are not Redis. */
class RespPingTest {

  @Test
  void authenticatesToTheResponderAndPings() {
    try (RespResponder responder = RespResponder.start("s3cret")) {
      RespPing.Result result =
          RespPing.to(responder.address()).withPassword(Secret.of("s3cret")).ping();
      assertThat(result.authenticated()).isTrue();
      assertThat(result.endpoint()).isEqualTo(responder.address());
      assertThatThrownBy(() -> RespPing.to(responder.address()).ping())
          .isInstanceOfSatisfying(
              WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
    }
  }

  @Test
  void emptyPasswordMeansNoAuth() {
    try (RespResponder responder = RespResponder.start(null)) {
      assertThat(
              RespPing.to(responder.address()).withPassword(Secret.of("")).ping().authenticated())
          .isFalse();
    }
  }

  @Test
  void pingsTheResponderOverTls(@TempDir Path dir) throws Exception {
    SelfSignedTls certificate = SelfSignedTls.create(dir);
    try (RespResponder responder = RespResponder.start("pw", certificate.serverContext(), 0)) {
      RespPing.Result result =
          RespPing.to(responder.address())
              .withPassword(Secret.of("pw"))
              .withTls(certificate.trustingContext())
              .ping();
      assertThat(result.tls()).isTrue();
    }
  }

  @Test
  void aServerThatIsNotRedisIsAProtocolFailure() throws Exception {
    try (var server = new OneReplyServer("HTTP/1.1 400 Bad Request\r\n\r\n")) {
      assertThatThrownBy(() -> RespPing.to("127.0.0.1:" + server.port()).ping())
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("127.0.0.1:" + server.port())
                    .contains("HTTP/1.1 400");
              });
    }
  }

  @Test
  void aReplyThatEchoesThePasswordDoesNotPutItInTheMessage() throws Exception {
    try (var server = new OneReplyServer("-ERR no such password 'hunter2'\r\n")) {
      assertThatThrownBy(
              () ->
                  RespPing.to("127.0.0.1:" + server.port())
                      .withPassword(Secret.of("hunter2"))
                      .ping())
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
                assertThat(e.getMessage())
                    .contains("no such password '****'")
                    .doesNotContain("hunter2");
              });
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutAsAConnectionFailure() throws Exception {
    try (var server = new OneReplyServer(null)) {
      assertThatThrownBy(
              () ->
                  RespPing.to("127.0.0.1:" + server.port())
                      .withTimeout(Duration.ofMillis(200))
                      .ping())
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                assertThat(e.getMessage()).contains("timed out");
              });
    }
  }

  @Test
  void endpointMustBeHostColonPort() {
    assertThatThrownBy(() -> RespPing.to("localhost")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RespPing.to("localhost:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RespPing.to("localhost:redis")).hasMessageContaining("host:port");
    assertThat(RespPing.to("[::1]:6379").hosts()).containsExactly("::1");
  }

  @Test
  void argumentsAreCheckedAtTheDoor() {
    assertThatThrownBy(() -> RespPing.to(List.of(), 6379)).hasMessage("hosts must not be empty");
    assertThatThrownBy(() -> RespPing.to(List.of("h"), 0)).hasMessageContaining("port must be");
    assertThatThrownBy(() -> RespPing.to("h:1").withTimeout(Duration.ZERO))
        .hasMessageContaining("timeout must be > 0");
    assertThatThrownBy(() -> RespPing.to("h:1").withUser(" ", Secret.of("p")))
        .hasMessageContaining("username must not be blank");
  }

  @Test
  void itsTextNeverShowsThePassword() {
    assertThat(RespPing.to("h:1").withPassword(Secret.of("hunter2")).toString())
        .doesNotContain("hunter2");
  }

  /** A loopback server that answers every connection with one fixed reply (null: silence). */
  private static final class OneReplyServer implements AutoCloseable {
    private final ServerSocket server;

    OneReplyServer(String reply) throws IOException {
      server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      Thread thread =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket client = server.accept()) {
                    InputStream in = client.getInputStream();
                    in.read();
                    if (reply != null) {
                      OutputStream out = client.getOutputStream();
                      out.write(reply.getBytes(StandardCharsets.UTF_8));
                      out.flush();
                    }
                    in.transferTo(OutputStream.nullOutputStream());
                  } catch (IOException e) {
                    // next connection, or closed
                  }
                }
              },
              "one-reply-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
