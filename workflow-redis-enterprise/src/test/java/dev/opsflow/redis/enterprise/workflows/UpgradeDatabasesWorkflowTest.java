package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.resp.RespConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** upgrade-databases end to end on the simulator, with real redis-servers behind the databases. */
class UpgradeDatabasesWorkflowTest {
  private SimulatedClusterFixture f;

  @BeforeEach
  void start() {
    Peers.require("redis-server", "redis-server");
    f =
        new SimulatedClusterFixture(
            e -> {}, b -> b.nodes(3).redisBackend(RedisBackend.REDIS_SERVER));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
  }

  @AfterEach
  void close() {
    f.close();
  }

  private int database(String name, String version, String persistence) {
    return f.activeDatabase(
        CreateDatabaseRequest.of(name, 1L << 26)
            .withRedisVersion(version)
            .withPersistence(persistence)
            .withPassword(Secret.of("pw-" + name)));
  }

  private RespConnection redis(String name) {
    return RespConnection.open(
        "127.0.0.1",
        f.sim.databasePort(name),
        Secret.of("pw-" + name),
        null,
        Duration.ofSeconds(10));
  }

  private WorkflowResult upgrade(RunOptions options, Object... more) {
    return f.run(
        RedisEnterpriseWorkflows.registerAll(new dev.opsflow.workflow.WorkflowRegistry(), f.clients)
            .get(RedisEnterpriseWorkflows.UPGRADE_DATABASES)
            .orElseThrow(),
        options,
        more);
  }

  private List<RecordedRequest> upgradePosts() {
    return f.sim.requests(r -> r.method().equals("POST") && r.path().endsWith("/upgrade"));
  }

  @Test
  void upgradesEachDatabaseInTurnKeepsTheirDataAndSkipsOnesAlreadyThere() {
    int a = database("a", "7.2", "aof");
    int b = database("b", "7.2", "snapshot");
    database("c", "7.4", "aof");
    try (var redis = redis("a")) {
      redis.call("SET", "kept", "yes");
    }

    WorkflowResult result = upgrade(RunOptions.defaults(), "targetRedisVersion", "7.4");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsEntry("upgraded_databases", List.of(a, b));
    assertThat(upgradePosts())
        .extracting(RecordedRequest::path)
        .containsExactly("/v1/bdbs/" + a + "/upgrade", "/v1/bdbs/" + b + "/upgrade");
    assertThat(upgradePosts().get(0).body())
        .contains("\"redis_version\":\"7.4\"")
        .doesNotContain("may_discard_data");
    // One at a time: the second upgrade starts after the first one's action ended (10 s).
    assertThat(upgradePosts().get(1).at())
        .isAfterOrEqualTo(upgradePosts().get(0).at().plusSeconds(10));
    assertThat(f.admin().database(a).redisVersion()).isEqualTo("7.4");
    assertThat(f.admin().database(b).redisVersion()).isEqualTo("7.4");
    try (var redis = redis("a")) {
      assertThat(redis.text("GET", "kept")).isEqualTo("yes");
    }
  }

  @Test
  void aVersionSomeNodeDoesNotSupportIsRefusedBeforeAnyChange() {
    database("a", "7.2", "aof");
    f.sim.clearRequests();

    WorkflowResult result = upgrade(RunOptions.defaults(), "targetRedisVersion", "8.0");

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("'8.0' is not supported by node 1");
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }

  @Test
  void aDatabaseThatWouldLoseItsDataIsRefusedUnlessMayDiscardDataThenItReallyIsEmptied() {
    int a = database("a", "7.2", "disabled");
    try (var redis = redis("a")) {
      redis.call("SET", "lost", "yes");
    }

    WorkflowResult refused = upgrade(RunOptions.defaults(), "targetRedisVersion", "7.4");
    assertThat(refused.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(refused.error().message()).contains("mayDiscardData=true");
    assertThat(upgradePosts()).isEmpty();

    WorkflowResult accepted =
        upgrade(RunOptions.defaults(), "targetRedisVersion", "7.4", "mayDiscardData", true);
    assertThat(accepted.status()).as(accepted.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(upgradePosts().get(0).body()).contains("\"may_discard_data\":true");
    assertThat(f.admin().database(a).redisVersion()).isEqualTo("7.4");
    try (var redis = redis("a")) {
      assertThat(redis.number("DBSIZE")).isZero();
    }
  }

  @Test
  void aFailedUpgradeStopsTheRunAndLeavesTheOthersUntouched() {
    int a = database("a", "7.2", "aof");
    int b = database("b", "7.2", "aof");
    f.sim.faults().nextActionFails("internal_error", "shard restart failed");

    WorkflowResult result = upgrade(RunOptions.defaults(), "targetRedisVersion", "7.4");

    assertThat(result.success()).isFalse();
    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().step()).isEqualTo("upgrade-databases");
    assertThat(result.error().message())
        .contains("database " + a)
        .contains("untouched: [" + b + "]");
    assertThat(result.error().details()).containsEntry("untouched", List.of(b));
    assertThat(result.error().suggestions())
        .anyMatch(s -> s.contains("run upgrade-databases again"));
    assertThat(upgradePosts()).hasSize(1);
    assertThat(f.admin().database(a).redisVersion()).isEqualTo("7.2");
    assertThat(f.admin().database(b).redisVersion()).isEqualTo("7.2");
  }

  @Test
  void aDryRunOnlyReadsAndSaysWhatItWouldUpgrade() {
    int a = database("a", "7.2", "aof");
    f.sim.clearRequests();

    WorkflowResult result =
        upgrade(RunOptions.defaults().withDryRun(true), "targetRedisVersion", "7.4");

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    assertThat(result.toJson()).contains("upgrade databases [" + a + "] to 7.4");
  }

  @Test
  void aRunInterruptedMidWayResumesWithoutUpgradingAnyDatabaseTwice() throws Exception {
    int a = database("a", "7.2", "aof");
    int b = database("b", "7.2", "aof");
    // The cluster stops answering about actions once the first upgrade is under way.
    f.sim.faults().failNext(50, 503, "GET", "/v1/actions/");

    WorkflowResult first = upgrade(RunOptions.defaults(), "targetRedisVersion", "7.4");
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.PARTIAL);
    assertThat(upgradePosts()).hasSize(1);

    f.sim.faults().reset();
    WorkflowResult resumed =
        f.engine
            .resume(first.runId(), OperationsWorkflows.upgradeDatabases(f.clients))
            .await(Duration.ofSeconds(60));

    assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(upgradePosts())
        .extracting(RecordedRequest::path)
        .containsExactly("/v1/bdbs/" + a + "/upgrade", "/v1/bdbs/" + b + "/upgrade");
  }
}
