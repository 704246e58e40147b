package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * init-cluster's PING check against a real Debian {@code redis-server} serving the simulated
 * database (skipped with a message when it is not installed, failed when {@code
 * OPSFLOW_REQUIRE_PEERS=1}).
 */
class InitClusterWithRealRedisTest {
  private SimulatedClusterFixture f;

  @BeforeEach
  void requireRedisServer() {
    Peers.require("redis-server", "redis-server");
    f = new SimulatedClusterFixture();
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void pingsARealRedisServerWithoutPassword() {
    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.databaseBackend("default-db")).isEqualTo("redis-server");
  }

  @Test
  void pingsARealRedisServerWithPasswordThroughAuth() {
    WorkflowResult result = f.initCluster("databasePassword", "Pw-for-redis-1");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.databaseBackend("default-db")).isEqualTo("redis-server");
    assertThat(result.toJson()).doesNotContain("Pw-for-redis-1");
  }
}
