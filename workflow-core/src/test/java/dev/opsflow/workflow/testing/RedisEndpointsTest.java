package dev.opsflow.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.peers.FreePorts;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.peers.SelfSignedTls;
import dev.opsflow.workflow.resp.RespPing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where simulated databases listen: a real redis-server when there is one, else the responder. */
class RedisEndpointsTest {
  private static final String PASSWORD = "pa ss\"w#rd\\";

  @Test
  void autoRunsARealRedisServerWithThePasswordOffItsCommandLine() throws Exception {
    Peers.require("redis-server", "redis-server");
    try (RedisEndpoint endpoint = RedisEndpoints.auto().start(PASSWORD)) {
      assertThat(endpoint.kind()).isEqualTo("redis-server");
      assertThat(
              RespPing.to(endpoint.address())
                  .withPassword(Secret.of(PASSWORD))
                  .ping()
                  .authenticated())
          .isTrue();
      assertThatThrownBy(() -> RespPing.to(endpoint.address()).ping())
          .hasMessageContaining("requires a password");
      long pid = ((RedisServerProcess) endpoint).pid();
      String commandLine =
          Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
      assertThat(commandLine).contains("redis-server").doesNotContain("pa ss");
    }
  }

  @Test
  void closeStopsTheRedisServer() {
    Peers.require("redis-server", "redis-server");
    RedisEndpoint endpoint = RedisEndpoints.auto().start(null);
    long pid = ((RedisServerProcess) endpoint).pid();
    endpoint.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isIn(java.util.Optional.empty(), java.util.Optional.of(false));
    assertThatThrownBy(() -> RespPing.to(endpoint.address()).ping())
        .hasMessageContaining("cannot reach Redis");
  }

  @Test
  void autoServesAFixedPort() {
    Peers.require("redis-server", "redis-server");
    int port = FreePorts.loopback();
    try (RedisEndpoint endpoint = RedisEndpoints.auto().start(null, null, port)) {
      assertThat(endpoint.kind()).isEqualTo("redis-server");
      assertThat(endpoint.port()).isEqualTo(port);
      assertThat(RespPing.to(endpoint.address()).ping().endpoint()).isEqualTo("127.0.0.1:" + port);
    }
  }

  @Test
  void aTakenFixedPortIsAnIllegalState() {
    try (RedisEndpoint first = RedisEndpoints.inProcess().start(null)) {
      assertThatThrownBy(() -> RedisEndpoints.auto().start(null, null, first.port()))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void autoServesTlsWithTheResponder(@TempDir Path dir) throws Exception {
    SelfSignedTls certificate = SelfSignedTls.create(dir);
    try (RedisEndpoint endpoint =
        RedisEndpoints.auto().start("pw", certificate.serverContext(), 0)) {
      assertThat(endpoint.kind()).isEqualTo("responder");
      assertThat(
              RespPing.to(endpoint.address())
                  .withPassword(Secret.of("pw"))
                  .withTls(certificate.trustingContext())
                  .ping()
                  .tls())
          .isTrue();
    }
  }

  @Test
  void aRedisServerThatDoesNotComeUpLeavesTheFallbackToTheCaller(@TempDir Path dir)
      throws Exception {
    Path broken = dir.resolve("redis-server");
    Files.writeString(broken, "#!/bin/sh\nexit 1\n");
    broken.toFile().setExecutable(true);
    assertThat(RedisServerProcess.tryStart(broken, null, 0)).isEmpty();
    assertThatThrownBy(() -> RedisEndpoints.redisServer(broken).start(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start");
  }

  @Test
  void inProcessIsAlwaysTheResponder() {
    try (RedisEndpoint endpoint = RedisEndpoints.inProcess().start("pw")) {
      assertThat(endpoint.kind()).isEqualTo("responder");
      assertThat(endpoint.address()).isEqualTo("127.0.0.1:" + endpoint.port());
    }
  }

  @Test
  void configValuesAreQuotedForRedis() {
    assertThat(RedisServerProcess.quoted("a \"b\"\\c\n")).isEqualTo("\"a \\\"b\\\"\\\\c\\x0a\"");
  }
}
