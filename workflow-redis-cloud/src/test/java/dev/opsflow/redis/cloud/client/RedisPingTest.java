package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.cloud.testing.RespResponder;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.peers.RedisServerPeer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisPingTest {

  @Test
  void pingsARealRedisServerWithoutPassword() {
    try (RedisServerPeer redis = RedisServerPeer.start()) {
      assertThat(RedisPing.to(redis.host() + ":" + redis.port()).ping()).isEqualTo("PONG");
    }
  }

  @Test
  void authenticatesToARealRedisServerWithItsPassword() {
    try (RedisServerPeer redis = RedisServerPeer.startWithPassword()) {
      String endpoint = redis.host() + ":" + redis.port();
      Secret password = Secret.of(redis.password().orElseThrow());

      assertThat(RedisPing.to(endpoint).withPassword(password).ping()).isEqualTo("PONG");
      assertThatThrownBy(() -> RedisPing.to(endpoint).ping())
          .isInstanceOfSatisfying(WorkflowException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
      assertThatThrownBy(() -> RedisPing.to(endpoint).withPassword(Secret.of("not-it")).ping())
          .isInstanceOfSatisfying(WorkflowException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
            assertThat(e.getMessage()).doesNotContain("not-it")
                .doesNotContain(password.reveal());
          });
    }
  }

  @Test
  void theInProcessResponderBehavesLikeRedisForTheCheck() {
    try (RespResponder responder = RespResponder.start("s3cret")) {
      assertThat(RedisPing.to(responder.address()).withPassword(Secret.of("s3cret")).ping())
          .isEqualTo("PONG");
      assertThatThrownBy(() -> RedisPing.to(responder.address()).ping())
          .isInstanceOfSatisfying(WorkflowException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
    }
  }

  @Test
  void nobodyListeningIsARetryableConnectionError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> RedisPing.to("127.0.0.1:" + port).ping())
        .isInstanceOfSatisfying(WorkflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
          assertThat(e.retryable()).isTrue();
        });
  }

  @Test
  void tlsToAPlainServerFailsAsAConnectionError() {
    try (RespResponder responder = RespResponder.start(null)) {
      assertThatThrownBy(() -> RedisPing.to(responder.address()).withTls(true).ping())
          .isInstanceOfSatisfying(WorkflowException.class,
              e -> assertThat(e.getMessage()).contains("over TLS"));
    }
  }

  @Test
  void pingsARealRedisServerOverTlsWithItsPassword(@TempDir Path dir) throws Exception {
    try (TlsRedisServer redis = new TlsRedisServer(dir)) {
      RedisPing ping = RedisPing.to("127.0.0.1:" + redis.port)
          .withPassword(Secret.of(redis.password));

      assertThat(ping.withTls(redis.trusting()).ping()).isEqualTo("PONG");
      assertThatThrownBy(() -> ping.withTls(true).ping())
          .as("the JVM's default trust does not know the self-signed certificate")
          .isInstanceOfSatisfying(WorkflowException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(e.getMessage()).contains("over TLS").doesNotContain(redis.password);
          });
    }
  }

  @Test
  void endpointMustBeHostColonPort() {
    assertThatThrownBy(() -> RedisPing.to("localhost")).hasMessageContaining("host:port");
  }
}
