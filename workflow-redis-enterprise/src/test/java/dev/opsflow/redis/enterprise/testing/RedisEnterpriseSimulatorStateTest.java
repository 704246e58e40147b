package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.CreateClusterRequest;
import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.client.CreateUserRequest;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulator with a state directory meets the same cluster after a restart. */
class RedisEnterpriseSimulatorStateTest {
  private static final Secret PASSWORD = Secret.of("pw-admin-1");
  private final ManualClock clock = new ManualClock();

  private RedisEnterpriseSimulator start(Path dir, int port) {
    return RedisEnterpriseSimulator.builder()
        .clock(clock)
        .redisBackend(RedisBackend.RESPONDER)
        .bootstrapDuration(Duration.ofSeconds(30))
        .databaseCreationDuration(Duration.ofSeconds(10))
        .port(port)
        .stateDirectory(dir)
        .start();
  }

  @Test
  void aRestartedSimulatorMeetsTheSameClusterUsersAndDatabases(@TempDir Path dir) {
    int port;
    int cacheUid;
    try (var sim = start(dir, 0)) {
      port = URI.create(sim.url()).getPort();
      var admin = sim.client("admin@x.io", PASSWORD);
      admin.createCluster(CreateClusterRequest.of("c.local", "admin@x.io", PASSWORD));
      clock.advance(Duration.ofMinutes(1));
      admin.createUser(CreateUserRequest.withRole("ops@x.io", Secret.of("pw-ops-2"), "db_viewer"));
      cacheUid = admin.createDatabase(CreateDatabaseRequest.of("cache", 1L << 20)).uid();
      clock.advance(Duration.ofSeconds(3));
      assertThat(admin.database(cacheUid).status()).isEqualTo("pending");
      int gone = admin.createDatabase(CreateDatabaseRequest.of("gone", 1L << 20)).uid();
      admin.deleteDatabase(gone);
      assertThat(sim.restored()).isFalse();
    }
    assertThat(Files.exists(dir.resolve("redis-enterprise.json"))).isTrue();

    try (var sim = start(dir, port)) {
      assertThat(sim.restored()).isTrue();
      assertThat(sim.url()).isEqualTo("https://127.0.0.1:" + port);
      assertThat(sim.bootstrapState()).isEqualTo("completed");
      RedisEnterpriseClient admin = sim.client("admin@x.io", PASSWORD);
      assertThat(admin.cluster().name()).isEqualTo("c.local");
      assertThat(sim.client("ops@x.io", Secret.of("pw-ops-2")).databases()).isNotEmpty();
      assertThatThrownBy(() -> sim.client("admin@x.io", Secret.of("wrong")).databases())
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
      // The creation in flight at the restart goes on from where it was.
      assertThat(admin.database(cacheUid).status()).isEqualTo("pending");
      clock.advance(Duration.ofSeconds(10));
      assertThat(admin.database(cacheUid).status()).isEqualTo("active");
      clock.advance(Duration.ofMinutes(1));
      assertThat(sim.databaseNames()).containsExactly("cache");
      // A new database takes the next uid, not one the cluster gave before.
      int next = admin.createDatabase(CreateDatabaseRequest.of("next", 1L << 20)).uid();
      assertThat(next).isGreaterThan(cacheUid + 1);
    }
  }

  @Test
  void anUnreadableStateIsRefusedNotOverwritten(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("redis-enterprise.json"), "{ not json");
    assertThatThrownBy(() -> start(dir, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-enterprise.json");
    assertThat(Files.readString(dir.resolve("redis-enterprise.json"))).isEqualTo("{ not json");
  }
}
