package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.resp.RespConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migrate-database on the simulator: Replica Of is REPLICAOF between two real redis-servers, and
 * redis-cli, an independent client, checks what the target holds.
 */
class MigrateDatabaseWorkflowTest {
  private SimulatedClusterFixture f;
  private int source;
  private int target;

  @BeforeEach
  void start() {
    Peers.require("redis-server", "redis-server");
    Peers.require("redis-cli", "redis-tools");
    f = new SimulatedClusterFixture(e -> {}, b -> b.redisBackend(RedisBackend.REDIS_SERVER));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
    source = f.activeDatabase(db("src"));
    target = f.activeDatabase(db("dst"));
    try (var redis = redis(f.sim, "src")) {
      for (int i = 0; i < 150; i++) {
        redis.call("SET", "key:" + i, "value-" + i);
      }
      redis.call("HSET", "a-hash", "f1", "v1", "f2", "v2");
      redis.call("RPUSH", "a-list", "x", "y", "z");
    }
    f.sim.clearRequests();
  }

  @AfterEach
  void close() {
    f.close();
  }

  private static CreateDatabaseRequest db(String name) {
    return CreateDatabaseRequest.of(name, 1L << 26).withPassword(Secret.of("pw-" + name));
  }

  private static RespConnection redis(RedisEnterpriseSimulator sim, String name) {
    return RespConnection.open(
        "127.0.0.1", sim.databasePort(name), Secret.of("pw-" + name), null, Duration.ofSeconds(10));
  }

  /** redis-cli against the database's endpoint, the password in REDISCLI_AUTH. */
  private static String redisCli(RedisEnterpriseSimulator sim, String name, String... command)
      throws Exception {
    var args =
        new java.util.ArrayList<>(
            List.of(
                "redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(sim.databasePort(name))));
    args.addAll(List.of(command));
    var pb = new ProcessBuilder(args).redirectErrorStream(true);
    pb.environment().put("REDISCLI_AUTH", "pw-" + name);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private WorkflowResult migrate(RunOptions options, Object... more) {
    var args =
        new java.util.ArrayList<Object>(List.of("sourceDatabase", "src", "targetDatabase", "dst"));
    args.addAll(List.of(more));
    return f.run(OperationsWorkflows.migrateDatabase(f.clients), options, args.toArray());
  }

  private List<RecordedRequest> syncStarts() {
    return f.sim.requests(
        r ->
            r.is("PUT", "/v1/bdbs/" + target) && r.body().contains("\"replica_sync\":\"enabled\""));
  }

  @Test
  void copiesEveryKeyVerifiesASampleAndCutsOver() throws Exception {
    WorkflowResult result = migrate(RunOptions.defaults(), "cutOver", true);

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs())
        .containsEntry("source_keys", 152L)
        .containsEntry("target_keys", 152L);
    @SuppressWarnings("unchecked")
    var point = (Map<String, Object>) result.outputs().get("cut_over");
    assertThat(point).containsEntry("source_keys", 152L).containsKeys("time", "source_repl_offset");
    assertThat(redisCli(f.sim, "dst", "DBSIZE")).isEqualTo("152");
    assertThat(redisCli(f.sim, "dst", "HGET", "a-hash", "f2")).isEqualTo("v2");
    // Cut over: the target stands alone and takes writes; the source was never changed.
    assertThat(redisCli(f.sim, "dst", "INFO", "replication")).contains("role:master");
    assertThat(redisCli(f.sim, "dst", "SET", "new", "1")).isEqualTo("OK");
    assertThat(redisCli(f.sim, "src", "DBSIZE")).isEqualTo("152");
    assertThat(f.sim.requests(r -> r.isMutating() && r.path().equals("/v1/bdbs/" + source)))
        .isEmpty();
    // The source's password went to the cluster, never to the request log in clear.
    assertThat(syncStarts()).hasSize(1);
    assertThat(syncStarts().get(0).body()).doesNotContain("pw-src");
  }

  @Test
  void withoutCutOverTheTargetKeepsSyncing() throws Exception {
    WorkflowResult result = migrate(RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("cut-over").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(redisCli(f.sim, "dst", "INFO", "replication")).contains("role:slave");
    assertThat(f.admin().databaseRaw(target).path("replica_sync").asString()).isEqualTo("enabled");
  }

  @Test
  void aSyncThatNeverCompletesTimesOutAndRollbackStopsItLeavingTheSourceUntouched()
      throws Exception {
    f.sim.faults().syncsNeverComplete();

    WorkflowResult result = migrate(RunOptions.defaults().withRollback(true), "waitTimeout", "2m");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.error().step()).isEqualTo("await-sync");
    assertThat(result.error().suggestions()).anyMatch(s -> s.contains("rollback to stop it"));
    assertThat(f.admin().databaseRaw(target).path("replica_sync").asString()).isEqualTo("disabled");
    assertThat(redisCli(f.sim, "dst", "INFO", "replication")).contains("role:master");
    assertThat(redisCli(f.sim, "src", "DBSIZE")).isEqualTo("152");
  }

  @Test
  void aRunStoppedWhileSyncingResumesWithoutStartingASecondSync() {
    f.sim.faults().syncsNeverComplete();
    WorkflowResult first = migrate(RunOptions.defaults(), "waitTimeout", "2m");
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.PARTIAL);

    f.sim.faults().reset();
    WorkflowResult resumed =
        f.engine
            .resume(first.runId(), OperationsWorkflows.migrateDatabase(f.clients))
            .await(Duration.ofSeconds(60));

    assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(resumed.outputs()).containsEntry("target_keys", 152L);
    assertThat(syncStarts()).hasSize(1);
  }

  @Test
  void aSecondRunFindsTheSyncRunningAndDoesNotStartItAgain() {
    migrate(RunOptions.defaults());
    WorkflowResult again = migrate(RunOptions.defaults());

    assertThat(again.status()).as(again.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(again.step("start-sync").orElseThrow().skipReason()).contains("not started twice");
    assertThat(syncStarts()).hasSize(1);
  }

  @Test
  void aDryRunChangesNothing() {
    WorkflowResult result = migrate(RunOptions.defaults().withDryRun(true), "cutOver", true);

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    assertThat(result.toJson()).contains("a Replica Of database " + source);
  }

  @Test
  void copiesIntoADatabaseOfAnotherCluster(@TempDir Path dir) throws Exception {
    try (var other =
        RedisEnterpriseSimulator.builder()
            .clock(f.clock)
            .redisBackend(RedisBackend.REDIS_SERVER)
            .start()) {
      other.bootstrapped("other.local", "ops@other.io", "other-pass-1");
      other.client("ops@other.io", Secret.of("other-pass-1")).createDatabase(db("remote"));
      f.clock.advance(Duration.ofMinutes(1));
      Path ca = Files.writeString(dir.resolve("other-ca.pem"), other.certificatePem());
      f.secrets.put("targetPassword", "other-pass-1");

      WorkflowResult result =
          f.run(
              OperationsWorkflows.migrateDatabase(f.clients),
              RunOptions.defaults(),
              "sourceDatabase",
              "src",
              "targetDatabase",
              "remote",
              "targetUrl",
              other.url(),
              "targetUsername",
              "ops@other.io",
              "targetPassword",
              "other-pass-1",
              "targetCaCertFile",
              ca.toString(),
              "cutOver",
              true);

      assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
      assertThat(redisCli(other, "remote", "DBSIZE")).isEqualTo("152");
      assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    }
  }
}
