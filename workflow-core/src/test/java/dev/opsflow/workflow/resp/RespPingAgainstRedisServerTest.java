package dev.opsflow.workflow.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.peers.FreePorts;
import dev.opsflow.workflow.peers.RedisServerPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PING check against a real Debian {@code redis-server} (skipped with a message when it is not
 * installed, failed when {@code OPSFLOW_REQUIRE_PEERS=1}).
 */
class RespPingAgainstRedisServerTest {
  // A bound for a hang, not for a speed: a loaded machine must never meet it.
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
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

  private static RespPing toProtected() {
    return RespPing.to(List.of(protectedServer.host()), protectedServer.port())
        .withTimeout(TIMEOUT);
  }

  private static Secret thePassword() {
    return Secret.of(protectedServer.password().orElseThrow());
  }

  @Test
  void pingsAServerWithoutPassword() {
    RespPing.Result result = RespPing.to(open.host() + ":" + open.port()).ping();
    assertThat(result.endpoint()).isEqualTo("127.0.0.1:" + open.port());
    assertThat(result.authenticated()).isFalse();
    assertThat(result.tls()).isFalse();
  }

  @Test
  void authenticatesThenPingsAServerWithPassword() {
    assertThat(toProtected().withPassword(thePassword()).ping().authenticated()).isTrue();
  }

  @Test
  void authenticatesAsTheDefaultUserByName() {
    assertThat(toProtected().withUser("default", thePassword()).ping().authenticated()).isTrue();
  }

  @Test
  void authenticatesAsAnAclUser() {
    String user = "checker-" + Long.toHexString(System.nanoTime());
    assertThat(protectedServer.command("ACL", "SETUSER", user, "on", ">user-pass", "+ping"))
        .isEqualTo("+OK");
    assertThat(toProtected().withUser(user, Secret.of("user-pass")).ping().authenticated())
        .isTrue();
    assertThatThrownBy(() -> toProtected().withUser(user, thePassword()).ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.getMessage()).contains("as " + user).contains("WRONGPASS");
            });
  }

  @Test
  void wrongPasswordIsAnAuthFailureThatNamesNoSecret() {
    assertThatThrownBy(() -> toProtected().withPassword(Secret.of("not-the-password")).ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .contains("WRONGPASS")
                  .contains("127.0.0.1:" + protectedServer.port())
                  .doesNotContain("not-the-password")
                  .doesNotContain(thePassword().reveal());
            });
  }

  @Test
  void missingPasswordIsReportedAsNeeded() {
    assertThatThrownBy(() -> toProtected().ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.getMessage()).contains("requires a password");
            });
  }

  @Test
  void passwordForAServerWithoutOneIsAnAuthFailure() {
    assertThatThrownBy(
            () ->
                RespPing.to(List.of(open.host()), open.port())
                    .withPassword(Secret.of("unneeded"))
                    .ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.getMessage())
                  .contains("without any password configured")
                  .doesNotContain("unneeded");
            });
  }

  @Test
  void unresolvableDnsNameFallsBackToTheEndpointAddress() {
    RespPing.Result result =
        RespPing.to(List.of("redis-12000.cluster.invalid", open.host()), open.port())
            .withTimeout(TIMEOUT)
            .ping();
    assertThat(result.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void closedPortIsARetryableConnectionFailureNamingEachHost() {
    int closed = FreePorts.loopback();
    assertThatThrownBy(
            () ->
                RespPing.to(List.of("redis.cluster.invalid", "127.0.0.1"), closed)
                    .withTimeout(TIMEOUT)
                    .ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage())
                  .contains("redis.cluster.invalid:" + closed + ": unknown host")
                  .contains("127.0.0.1:" + closed);
            });
  }

  @Test
  void tlsToAPlainServerIsAConnectionFailureOverTls() {
    assertThatThrownBy(
            () ->
                RespPing.to(List.of(open.host()), open.port())
                    // What ends the handshake: the plain server waits for the rest of a command.
                    .withTimeout(Duration.ofSeconds(5))
                    .withTls(TlsContexts.sslContext(TlsTrust.system()))
                    .ping())
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.getMessage()).contains("over TLS");
            });
  }

  @Test
  void pingsARealRedisServerOverTlsWithItsPassword(@TempDir Path dir) throws Exception {
    try (TlsRedisServer redis = new TlsRedisServer(dir)) {
      RespPing ping =
          RespPing.to("127.0.0.1:" + redis.port)
              .withTimeout(TIMEOUT)
              .withPassword(Secret.of(redis.password));

      RespPing.Result result = ping.withTls(redis.certificate.trustingContext()).ping();
      assertThat(result.tls()).isTrue();
      assertThat(result.authenticated()).isTrue();
      assertThatThrownBy(() -> ping.withTls(TlsContexts.sslContext(TlsTrust.system())).ping())
          .as("the JVM's default trust does not know the self-signed certificate")
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
                assertThat(e.getMessage()).contains("over TLS").doesNotContain(redis.password);
                assertThat(e.suggestions()).anyMatch(s -> s.contains("TLS trust"));
              });
    }
  }

  @Test
  void tlsChecksTheHostNameUnlessToldNotTo(@TempDir Path dir) throws Exception {
    try (TlsRedisServer redis = new TlsRedisServer(dir)) {
      // The certificate names 127.0.0.1 and localhost, not 127.0.0.2 (still loopback).
      RespPing ping =
          RespPing.to("127.0.0.2:" + redis.port)
              .withTimeout(TIMEOUT)
              .withPassword(Secret.of(redis.password))
              .withTls(redis.certificate.trustingContext());
      assertThatThrownBy(ping::ping)
          .isInstanceOfSatisfying(
              WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
      assertThat(ping.withoutHostnameVerification().ping().tls()).isTrue();
    }
  }
}
