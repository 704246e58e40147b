package dev.opsflow.workflow.test;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.steps.AwaitDatabaseStep;
import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.steps.CreateDatabaseStep;
import dev.opsflow.redis.enterprise.steps.FindDatabaseStep;
import dev.opsflow.redis.enterprise.steps.ReportOutputsStep;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.redis.enterprise.workflows.RedisEnterpriseInputs;
import dev.opsflow.redis.enterprise.workflows.RedisEnterpriseWorkflows;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kit on a real workflow: the Redis Enterprise {@code create-database} workflow, and a host's
 * own composition of its steps, against the simulator the extension starts on the test's clock.
 */
@ExtendWith(WorkflowExtension.class)
class CreateDatabaseKitTest {
  static final String USER = "admin@cluster.local";
  static final String PASSWORD = "Sup3r-Secret-Pass";

  RedisEnterpriseSimulator cluster;
  ClusterClientFactory clients;
  Map<String, Object> inputs;

  @BeforeEach
  void bootstrappedCluster(RedisEnterpriseSimulator simulator) {
    cluster = simulator.bootstrapped("cluster.local", USER, PASSWORD);
    clients = ClusterClientFactory.fromContext(cluster.trustCertificate());
    inputs =
        Map.of(
            "url", cluster.url(), "username", USER, "password", PASSWORD, "databaseName", "cache");
  }

  /** What the workflow changes: the databases, and the requests that may change state. */
  Supplier<Object> state() {
    return () ->
        Map.of(
            "databases", cluster.databaseNames(),
            "changes", cluster.requests(RecordedRequest::isMutating).size());
  }

  /** A host's own workflow from the adapter's public steps, each with a timeout. */
  Workflow hostsCreateDatabase() {
    var api =
        StepOptions.defaults()
            .withRetry(Retries.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(5)))
            .withTimeout(Duration.ofMinutes(2));
    var wf = Workflow.builder("host-create-database");
    RedisEnterpriseInputs.connection(wf);
    RedisEnterpriseInputs.database(wf, true);
    return wf.step(new FindDatabaseStep(clients), api)
        .step(new CreateDatabaseStep(clients), api)
        .step(
            new AwaitDatabaseStep(clients),
            StepOptions.defaults().withTimeout(Duration.ofMinutes(10)))
        .step(new ReportOutputsStep(clients, false))
        .build();
  }

  @Test
  void theSimulatorRunsOnTheEnginesManualClock(WorkflowEngine engine, ManualClock clock) {
    WorkflowResult result = engine.run(RedisEnterpriseWorkflows.createDatabase(clients), inputs);

    assertThat(result)
        .isCompleted()
        .hasOutput("database_created", true)
        .step("find-database")
        .wasCompleted()
        .step("await-database")
        .wasCompleted();
    // The database took the simulator's 10 s to become active: skipped, not waited.
    assertThat(clock.totalSleptMillis()).isGreaterThanOrEqualTo(10_000);
  }

  @Test
  void aSecondRunFindsTheDatabaseAndSkipsCreatingIt(WorkflowEngine engine, EventLog events) {
    engine.run(RedisEnterpriseWorkflows.createDatabase(clients), inputs);

    WorkflowResult again = engine.run(RedisEnterpriseWorkflows.createDatabase(clients), inputs);

    assertThat(again).isCompleted().step("create-database").wasSkippedBecause("cache");
    assertThat(events).areInOrder().haveNoRetries();
    assertThat(events.of(WorkflowEvent.StepSkipped.class)).isNotEmpty();
  }

  @Test
  void runningTwiceWithOneKeyCreatesOneDatabase(WorkflowEngine engine) {
    WorkflowChecks.runsOnceWithOneKey(
        engine, RedisEnterpriseWorkflows.createDatabase(clients), inputs, state());

    assertThat(cluster.databaseNames()).containsExactly("cache");
  }

  @Test
  void aDryRunChangesNothingOnTheCluster(WorkflowEngine engine) {
    WorkflowChecks.dryRunChangesNothing(
        engine, RedisEnterpriseWorkflows.createDatabase(clients), inputs, state());
  }

  @Test
  void rollbackDeletesTheDatabaseItCreated(WorkflowEngine engine) {
    Supplier<Object> databases = cluster::databaseNames;

    WorkflowResult result =
        WorkflowChecks.rollbackUndoesWhatRan(
            engine, RedisEnterpriseWorkflows.createDatabase(clients), inputs, databases);

    assertThat(result).step("create-database").wasCompensated();
  }

  @Test
  void aClusterThatIsDownEndsInAConnectionError(WorkflowEngine engine) {
    WorkflowResult result =
        WorkflowChecks.downedDependencyEndsInTypedError(
            engine,
            RedisEnterpriseWorkflows.createDatabase(clients),
            inputs,
            cluster::close,
            ErrorKind.CONNECTION);

    assertThat(result).isFailed().step("find-database").failed().tookAttempts(4);
  }

  @Test
  void aClusterThatStaysDownOpensTheBreakerAndRunsEndAtOnce(WorkflowEngine engine) {
    WorkflowResult stopped =
        WorkflowChecks.downedDependencyOpensTheBreaker(
            engine, RedisEnterpriseWorkflows.createDatabase(clients), inputs, cluster::close, 5);

    assertThat(stopped).isFailed().failedWith(ErrorKind.CIRCUIT_OPEN);
  }

  @Test
  void aStuckWaitEndsAtItsTimeoutInMilliseconds(WorkflowEngine engine, ManualClock clock) {
    WorkflowChecks.stuckStepEndsAtItsTimeout(
        engine, hostsCreateDatabase(), inputs, "await-database");

    assertThat(clock.totalSleptMillis()).isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis());
  }

  @Test
  void theBuiltInWorkflowsWaitsHaveNoTimeoutWhichTheCheckReports(WorkflowEngine engine) {
    assertThatThrownBy(
            () ->
                WorkflowChecks.stuckStepEndsAtItsTimeout(
                    engine,
                    RedisEnterpriseWorkflows.createDatabase(clients),
                    inputs,
                    "await-database"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("step 'await-database' of 'create-database' has no timeout");
  }

  @Test
  void eventsAreEmittedInOrderAndJournaled(WorkflowEngine engine, EventLog events) {
    WorkflowResult result =
        WorkflowChecks.eventsEmittedInOrder(engine, hostsCreateDatabase(), inputs, events);

    assertThat(events)
        .startedSteps("find-database", "create-database", "await-database", "report")
        .haveNoRetries();
    assertThat(result).isCompleted();
  }
}
