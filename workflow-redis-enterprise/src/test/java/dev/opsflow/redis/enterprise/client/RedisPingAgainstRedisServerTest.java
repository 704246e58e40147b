package dev.opsflow.redis.enterprise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.peers.FreePorts;
import dev.opsflow.workflow.peers.RedisServerPeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PING check against a real Debian {@code redis-server} (skipped with a message when it is
 * not installed, failed when {@code OPSFLOW_REQUIRE_PEERS=1}).
 */
class RedisPingAgainstRedisServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static RedisServerPeer open;
  private static RedisServerPeer protectedServer;

  // Started on the first test rather than in @BeforeAll, so that a missing redis-server marks each
  // test SKIPPED with the reason instead of hiding them.
  @BeforeEach
  void startServersOnce() {
    if (open == null) {
      open = RedisServerPeer.start();
      protectedServer = RedisServerPeer.startWithPassword();
    }
  }

  @AfterAll
  static void stopServers() {
    if (open != null) {
      open.close();
    }
    if (protectedServer != null) {
      protectedServer.close();
    }
  }

  @Test
  void pingsAServerWithoutPassword() {
    RedisPing.Result result = RedisPing.ping(List.of(open.host()), open.port(), null, null,
        TIMEOUT);
    assertThat(result.host()).isEqualTo("127.0.0.1");
    assertThat(result.authenticated()).isFalse();
    assertThat(result.tls()).isFalse();
  }

  @Test
  void authenticatesThenPingsAServerWithPassword() {
    Secret password = Secret.of(protectedServer.password().orElseThrow());
    RedisPing.Result result = RedisPing.ping(List.of(protectedServer.host()),
        protectedServer.port(), password, null, TIMEOUT);
    assertThat(result.authenticated()).isTrue();
  }

  @Test
  void wrongPasswordIsAnAuthFailureThatNamesNoSecret() {
    assertThatThrownBy(() -> RedisPing.ping(List.of(protectedServer.host()),
        protectedServer.port(), Secret.of("not-the-password"), null, TIMEOUT))
        .isInstanceOfSatisfying(WorkflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("WRONGPASS").doesNotContain("not-the-password");
        });
  }

  @Test
  void missingPasswordIsReportedAsNeeded() {
    assertThatThrownBy(() -> RedisPing.ping(List.of(protectedServer.host()),
        protectedServer.port(), null, null, TIMEOUT))
        .isInstanceOfSatisfying(WorkflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
          assertThat(e.getMessage()).contains("requires a password");
        });
  }

  @Test
  void unresolvableDnsNameFallsBackToTheEndpointAddress() {
    RedisPing.Result result = RedisPing.ping(
        List.of("redis-12000.cluster.invalid", open.host()), open.port(), null, null, TIMEOUT);
    assertThat(result.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void closedPortIsARetryableConnectionFailure() {
    int closed = FreePorts.loopback();
    assertThatThrownBy(() -> RedisPing.ping(List.of("127.0.0.1"), closed, null, null, TIMEOUT))
        .isInstanceOfSatisfying(WorkflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
          assertThat(e.retryable()).isTrue();
        });
  }
}
