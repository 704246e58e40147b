package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The waits of the Redis Cloud workflows are top-level {@link PollingStep}s: polled in place by
 * {@code engine.run}, and waiting between polls without a thread in a run started with {@code
 * engine.start}, with the same polls through the simulator (on the harness's manual clock), the
 * same results and the same errors.
 */
class PollingStepsTest {
  @TempDir Path dir;

  private CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> args() {
    return Map.of("name", "prod", "region", "us-east-1", "deploymentCidr", "10.0.0.0/24");
  }

  private WorkflowResult run(
      boolean started, String workflow, Map<String, String> args, RunOptions options) {
    return started
        ? h.registry.start(h.engine, workflow, args, options).await(Duration.ofSeconds(60))
        : h.run(workflow, args, options);
  }

  private static Step step(Workflow wf, String name) {
    return wf.nodes().stream()
        .map(Workflow.Node::step)
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private long requests(String line) {
    return h.sim.requests().stream().filter(r -> r.line().equals(line)).count();
  }

  @Test
  void theWaitsAreTopLevelPollingSteps() {
    Workflow setup = h.registry.get("subscription-setup").orElseThrow();
    assertThat(setup.nodes())
        .extracting(n -> n.step().name())
        .containsExactly(
            "plan-subscription",
            "check-regions-exist",
            "resolve-payment-method",
            "find-subscription",
            "create-subscription",
            "await-subscription-task",
            "await-subscription-active",
            "ensure-databases",
            "await-databases-active",
            "ensure-database-tls",
            "verify-connectivity");
    assertThat(
            setup.nodes().stream().map(Workflow.Node::step).filter(PollingStep.class::isInstance))
        .extracting(Step::name)
        .containsExactly(
            "await-subscription-task", "await-subscription-active", "await-databases-active");
    for (String wf : new String[] {"provision-subscription", "setup-aa-database"}) {
      assertThat(step(h.registry.get(wf).orElseThrow(), "await-subscription-task"))
          .isInstanceOf(PollingStep.class);
    }
    // quick-database wraps its steps to type their errors; the wait stays a polling step.
    assertThat(step(h.registry.get("quick-database").orElseThrow(), "await-databases-active"))
        .isInstanceOf(PollingStep.class);
  }

  /**
   * The subscription's task takes 31 s (queue and work): polls after 2, 3, 4.5, 6.75, 10.125 and 15
   * s, done at 41.375 s; the subscription is then pending 60 s more, its database 20 s.
   */
  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void subscriptionSetupPollsTheTaskThenTheSubscriptionThenTheDatabase(boolean started) {
    WorkflowResult result = run(started, "subscription-setup", args(), RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(h.mutatingLines()).containsExactly("POST /subscriptions");
    long id = ((Number) result.outputs().get("subscriptionId")).longValue();
    String task = (String) result.outputs().get("subscriptionTaskId");
    assertThat(result.outputs())
        .containsEntry("subscriptionStatus", "active")
        .containsKeys("databaseId", "endpoint", "databases");
    StepOutcome awaitTask = result.step("await-subscription-task").orElseThrow();
    assertThat(awaitTask.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(awaitTask.attempts()).isEqualTo(1);
    assertThat(awaitTask.durationMs()).isEqualTo(41_525);
    assertThat(requests("GET /tasks/" + task)).isEqualTo(7);
    assertThat(requests("GET /subscriptions/" + id)).isGreaterThan(3);
    assertThat(result.step("await-subscription-active").orElseThrow().durationMs())
        .isGreaterThan(Duration.ofSeconds(30).toMillis());
    assertThat(result.outputs().get("connectivity").toString()).contains("PONG");
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aTaskEndingInErrorFailsTheWaitAtOnceAndRollbackDeletesNothing(boolean started) {
    h.sim.faults().failNextTask("subscriptionCreateRequest", "PLANNER_FAILURE", "no room");

    WorkflowResult result =
        run(started, "subscription-setup", args(), RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().step()).isEqualTo("await-subscription-task");
    assertThat(result.error().details()).containsEntry("errorCode", "PLANNER_FAILURE");
    // The task failed: no subscription was created, so the compensation deletes nothing.
    assertThat(result.step("create-subscription").orElseThrow().status())
        .isEqualTo(StepStatus.COMPENSATED);
    assertThat(h.mutatingLines()).containsExactly("POST /subscriptions");
  }

  /** A run whose task wait timed out resumes at the wait: the same task, no second create. */
  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aResumedRunAwaitsTheTaskItAlreadySent(boolean started) {
    h.close();
    h = new CloudHarness(SimulatorSettings.defaults(), b -> b.taskTimeout(Duration.ofSeconds(20)));

    WorkflowResult first = run(started, "subscription-setup", args(), RunOptions.defaults());
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.PARTIAL);
    assertThat(first.error().step()).isEqualTo("await-subscription-task");
    assertThat(first.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(first.step("await-subscription-task").orElseThrow().status())
        .isEqualTo(StepStatus.TIMEOUT);

    WorkflowResult resumed =
        h.engine
            .resume(first.runId(), h.registry.get("subscription-setup").orElseThrow())
            .await(Duration.ofSeconds(60));

    assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(h.sim.requests("POST", "/subscriptions")).hasSize(1);
    assertThat(resumed.outputs().get("subscriptionTaskId"))
        .isEqualTo(first.outputs().get("subscriptionTaskId"));
    assertThat(resumed.outputs()).containsKey("subscriptionId");
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void provisionSubscriptionAwaitsEveryDatabase(boolean started) {
    var args = new java.util.HashMap<String, String>();
    args.putAll(
        Map.of(
            "name", "platform",
            "region", "us-east-1",
            "deploymentCidr", "10.10.0.0/24",
            "databases", "cache:2,sessions"));
    args.putAll(
        Map.of(
            "peerAwsAccountId", "123456789012",
            "peerVpcId", "vpc-0a1b2c3d",
            "peerVpcCidr", "172.31.0.0/16"));

    WorkflowResult result = run(started, "provision-subscription", args, RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs().get("databases").toString()).contains("cache", "sessions");
    assertThat(requests("POST /subscriptions")).isEqualTo(1);
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void quickDatabaseAwaitsItsEssentialsDatabase(boolean started) {
    WorkflowResult result =
        run(
            started,
            "quick-database",
            Map.of("name", "my-app", "credentialsFile", dir.resolve("redis.env").toString()),
            RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("await-databases-active").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);
    assertThat(result.outputs()).containsKeys("databaseId", "endpoint");
  }
}
