package dev.opsflow.redis.enterprise.workflows;

import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.PASSWORD;
import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.steps.AwaitBootstrapStep;
import dev.opsflow.redis.enterprise.steps.AwaitDatabaseStep;
import dev.opsflow.redis.enterprise.steps.DeleteDatabaseStep;
import dev.opsflow.redis.enterprise.steps.VerifyDatabaseConnectivityStep;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The waiting steps are {@link PollingStep}s: polled in place by {@code engine.run}, and waiting
 * between polls without a thread in a run started with {@code engine.start}, with the same polls
 * through the simulator (on the fixture's manual clock), the same results and the same errors.
 */
class PollingStepsTest {
  private final SimulatedClusterFixture f = new SimulatedClusterFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private WorkflowResult run(
      boolean started, Workflow wf, Map<String, Object> inputs, RunOptions options) {
    inputs.keySet().retainAll(wf.inputs().keySet());
    return started
        ? f.engine.start(wf, inputs, options).await(Duration.ofSeconds(60))
        : f.engine.run(wf, inputs, options);
  }

  private WorkflowResult initCluster(boolean started, RunOptions options, Object... more) {
    return run(started, RedisEnterpriseWorkflows.initCluster(f.clients), f.inputs(more), options);
  }

  @Test
  void theWaitingStepsArePollingSteps() {
    Workflow init = RedisEnterpriseWorkflows.initCluster(f.clients);
    assertThat(init.nodes().stream().map(Workflow.Node::step).filter(PollingStep.class::isInstance))
        .extracting(Step::name)
        .containsExactly("await-bootstrap", "await-database", "verify-database-connectivity");
    assertThat(new AwaitBootstrapStep(f.clients)).isInstanceOf(PollingStep.class);
    assertThat(new AwaitDatabaseStep(f.clients)).isInstanceOf(PollingStep.class);
    assertThat(new VerifyDatabaseConnectivityStep(f.clients)).isInstanceOf(PollingStep.class);
    assertThat(new DeleteDatabaseStep(f.clients)).isInstanceOf(PollingStep.class);
  }

  /**
   * The bootstrap takes 30 s of the simulator's time: polls after 2, 3, 4.5, 6.75, 10 and 10 s,
   * done at 36.25 s; the database takes 10 s: polls after 1, 1.5, 2.25, 3.375, 5.063 s.
   */
  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void initClusterPollsTheBootstrapAndTheDatabaseOnTheSameSchedule(boolean started) {
    WorkflowResult result = initCluster(started, RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("await-bootstrap").orElseThrow().durationMs()).isEqualTo(36_250);
    assertThat(result.step("await-bootstrap").orElseThrow().attempts()).isEqualTo(1);
    assertThat(result.step("await-database").orElseThrow().durationMs()).isEqualTo(13_188);
    // inspect-cluster reads the bootstrap once, await-bootstrap polls it 7 times.
    assertThat(f.sim.requests("GET", "/v1/bootstrap")).hasSize(8);
    assertThat(f.sim.requests("GET", "/v1/bdbs/1")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(result.outputs())
        .containsEntry("database_created", true)
        .containsEntry("database_id", 1);
    assertThat(result.step("verify-database-connectivity").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aBootstrapEndingInErrorFailsWithItsErrorCode(boolean started) {
    f.sim.faults().nextBootstrapFails("insufficient_node_memory", "the node has 2 GB");

    WorkflowResult result = initCluster(started, RunOptions.defaults());

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("await-bootstrap");
    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().message()).contains("insufficient_node_memory");
    assertThat(result.error().details()).containsEntry("errorCode", "insufficient_node_memory");
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("run init-cluster again"));
    assertThat(f.sim.requests(r -> r.path().startsWith("/v1/bdbs"))).isEmpty();
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aFailedDatabaseActionRollsBackTheDatabaseItCreated(boolean started) {
    f.sim.faults().nextActionFails("insufficient_resources", "no room for the shards");

    WorkflowResult result = initCluster(started, RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().step()).isEqualTo("await-database");
    assertThat(result.error().details()).containsEntry("databaseId", 1);
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("bootstrapped and kept"));
    assertThat(f.sim.databaseNames()).isEmpty();
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aStuckDatabaseTimesOutAtTheWaitTimeoutNamingTheLastState(boolean started) {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);
    f.sim.faults().nextActionNeverEnds();

    WorkflowResult result =
        run(
            started,
            RedisEnterpriseWorkflows.createDatabase(f.clients),
            f.inputs("databaseName", "cache", "waitTimeout", "2m"),
            RunOptions.defaults());

    assertThat(result.success()).isFalse();
    // A timeout the step re-threw with recovery suggestions is still a timeout.
    assertThat(result.step("await-database").orElseThrow().status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(result.error().step()).isEqualTo("await-database");
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.step("await-database").orElseThrow().durationMs()).isEqualTo(120_000);
    assertThat(result.error().message())
        .contains("timed out after 2m")
        .contains("database pending")
        .contains("running");
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void deleteDatabaseDeletesOnceAndPollsUntilItIsGone(boolean started) {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);
    assertThat(
            run(
                    started,
                    RedisEnterpriseWorkflows.createDatabase(f.clients),
                    f.inputs("databaseName", "cache"),
                    RunOptions.defaults())
                .status())
        .isEqualTo(RunState.COMPLETED);
    f.sim.clearRequests();

    WorkflowResult result =
        run(
            started,
            RedisEnterpriseWorkflows.deleteDatabase(f.clients),
            f.inputs("databaseName", "cache"),
            RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs())
        .containsEntry("database_deleted", true)
        .containsEntry("database_id", 1);
    assertThat(f.sim.requests("DELETE", "/v1/bdbs/1")).hasSize(1);
    // delete-pending (200) until the deletion ends, then 404.
    assertThat(f.sim.requests("GET", "/v1/bdbs/1"))
        .extracting(r -> r.status())
        .startsWith(200)
        .endsWith(404)
        .containsOnly(200, 404);
    assertThat(f.sim.databaseNames()).isEmpty();
  }
}
