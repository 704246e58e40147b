package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.resp.RespConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * recover-cluster on a simulated cluster that lost every database process: the configuration comes
 * back from ccs-redis.rdb, persistent databases with their data (real RDB files), the others empty.
 */
class RecoverClusterWorkflowTest {
  private SimulatedClusterFixture f;
  private int durable;
  private int cache;

  private void lostCluster(Consumer<WorkflowEvent> listener) {
    Peers.require("redis-server", "redis-server");
    Peers.require("redis-cli", "redis-tools");
    f =
        new SimulatedClusterFixture(
            listener::accept, b -> b.redisBackend(RedisBackend.REDIS_SERVER));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
    durable =
        f.activeDatabase(
            CreateDatabaseRequest.of("durable", 1L << 26)
                .withPersistence("aof")
                .withPassword(Secret.of("pw-durable")));
    cache =
        f.activeDatabase(
            CreateDatabaseRequest.of("cache", 1L << 26).withPassword(Secret.of("pw-cache")));
    for (String name : List.of("durable", "cache")) {
      try (var redis = redis(name)) {
        redis.call("SET", "k1", "v1");
        redis.call("SET", "k2", "v2");
      }
    }
    f.sim.loseCluster();
    f.sim.clearRequests();
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private RespConnection redis(String name) {
    return RespConnection.open(
        "127.0.0.1",
        f.sim.databasePort(name),
        Secret.of("pw-" + name),
        null,
        Duration.ofSeconds(10));
  }

  private WorkflowResult recover(RunOptions options, Object... more) {
    var args =
        new java.util.ArrayList<Object>(List.of("recoveryFile", f.sim.recoveryFile().toString()));
    args.addAll(List.of(more));
    return f.run(OperationsWorkflows.recoverCluster(f.clients), options, args.toArray());
  }

  private List<RecordedRequest> recoverPosts() {
    return f.sim.requests(r -> r.method().equals("POST") && r.path().endsWith("/actions/recover"));
  }

  @Test
  void recoversTheConfigurationThenEachDatabaseWithItsPersistedData() {
    lostCluster(e -> {});

    WorkflowResult result = recover(RunOptions.defaults(), "expectedSoftwareVersion", "7.8.2-34");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsEntry("recovered_databases", List.of(durable, cache));
    assertThat(f.sim.requests("POST", "/v1/bootstrap/recover_cluster")).hasSize(1);
    assertThat(f.admin().cluster().name()).isEqualTo("cluster.local");
    try (var redis = redis("durable")) {
      assertThat(redis.text("GET", "k2")).isEqualTo("v2");
    }
    try (var redis = redis("cache")) {
      assertThat(redis.number("DBSIZE")).isZero();
    }
  }

  @Test
  void aMissingRecoveryFileIsRefusedBeforeAnythingStarts() {
    lostCluster(e -> {});

    WorkflowResult result =
        f.run(
            OperationsWorkflows.recoverCluster(f.clients),
            RunOptions.defaults(),
            "recoveryFile",
            "/nonexistent/ccs/ccs-redis.rdb");

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("path_error");
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }

  @Test
  void aNodeOnAnotherSoftwareVersionIsRefused() {
    lostCluster(e -> {});

    WorkflowResult result = recover(RunOptions.defaults(), "expectedSoftwareVersion", "7.4.2-54");

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("install the same version");
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }

  @Test
  void aRecoveryThatEndsInErrorIsATypedFailure() {
    lostCluster(e -> {});
    f.sim.faults().nextBootstrapFails("node_config_mismatch", "installdir differs");

    WorkflowResult result = recover(RunOptions.defaults());

    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().step()).isEqualTo("await-bootstrap");
    assertThat(result.error().details()).containsEntry("errorCode", "node_config_mismatch");
  }

  @Test
  void aRunInterruptedWhileRecoveringDatabasesResumesWithoutRecoveringAnyTwice() {
    var interrupted = new AtomicBoolean();
    lostCluster(
        e -> {
          if (e instanceof WorkflowEvent.StepProgress p
              && p.subTask() != null
              && p.subTask().startsWith("Recovering database")
              && interrupted.compareAndSet(false, true)) {
            f.sim.faults().failNext(100, 503, "GET", "/v1/bdbs");
          }
        });

    WorkflowResult first = recover(RunOptions.defaults());
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.PARTIAL);

    f.sim.faults().reset();
    WorkflowResult resumed =
        f.engine
            .resume(first.runId(), OperationsWorkflows.recoverCluster(f.clients))
            .await(Duration.ofSeconds(60));

    assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(recoverPosts())
        .extracting(RecordedRequest::path)
        .containsExactlyInAnyOrder(
            "/v1/bdbs/" + durable + "/actions/recover", "/v1/bdbs/" + cache + "/actions/recover");
    assertThat(f.sim.requests("POST", "/v1/bootstrap/recover_cluster")).hasSize(1);
  }

  @Test
  void aSecondRunOnARecoveredClusterRecoversNothingAgain() {
    lostCluster(e -> {});
    recover(RunOptions.defaults());
    f.sim.clearRequests();

    WorkflowResult again = recover(RunOptions.defaults());

    assertThat(again.status()).as(again.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(again.step("recover-cluster").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }

  @Test
  void aDryRunValidatesButChangesNothing() {
    lostCluster(e -> {});

    WorkflowResult result = recover(RunOptions.defaults().withDryRun(true));

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    assertThat(f.sim.requests("POST", "/v1/bootstrap/validate/recover_cluster")).hasSize(1);
  }
}
