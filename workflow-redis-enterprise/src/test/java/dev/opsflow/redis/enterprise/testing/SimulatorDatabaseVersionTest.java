package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The version a bdb reports is the version of the redis-server behind it, as that server's own
 * {@code INFO server} says to an independent client ({@code redis-cli}).
 */
class SimulatorDatabaseVersionTest {
  private static final Secret PASSWORD = Secret.of("pw-admin-1");
  private final ManualClock clock = new ManualClock();
  private Path redisCli;
  private RedisEnterpriseSimulator sim;
  private RedisEnterpriseClient admin;

  @BeforeEach
  void start() {
    Peers.require("redis-server", "redis-server");
    redisCli = Peers.require("redis-cli", "redis-tools");
    sim =
        RedisEnterpriseSimulator.builder()
            .clock(clock)
            .redisBackend(RedisBackend.REDIS_SERVER)
            .start()
            .bootstrapped("c.local", "admin@x.io", PASSWORD.reveal());
    admin = sim.client("admin@x.io", PASSWORD);
  }

  @AfterEach
  void close() {
    if (sim != null) {
      sim.close();
    }
  }

  private String infoVersion(int port, String password) throws Exception {
    var pb =
        new ProcessBuilder(
                List.of(
                    redisCli.toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "INFO",
                    "server"))
            .redirectErrorStream(true);
    pb.environment().put("REDISCLI_AUTH", password);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines()
        .filter(l -> l.startsWith("redis_version:"))
        .map(l -> l.substring("redis_version:".length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no redis_version in INFO: " + out));
  }

  @Test
  void aDatabaseReportsTheVersionItsRedisServerRuns() throws Exception {
    int uid =
        admin
            .createDatabase(
                CreateDatabaseRequest.of("db", 1L << 26).withPassword(Secret.of("pw-db")))
            .uid();
    clock.advance(Duration.ofMinutes(1));
    String reported = admin.databaseRaw(uid).path("version").asString();
    String info = infoVersion(sim.databasePort("db"), "pw-db");
    assertThat(reported).isEqualTo(info);
    assertThat(sim.databaseBackend("db")).isEqualTo("redis-server");
  }
}
