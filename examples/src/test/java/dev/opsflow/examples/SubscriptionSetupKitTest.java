package dev.opsflow.examples;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.workflows.RedisCloudWorkflows;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.test.EventLog;
import dev.opsflow.workflow.test.WorkflowChecks;
import dev.opsflow.workflow.test.WorkflowExtension;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis Cloud's {@code subscription-setup} through the test kit's checklist, as a host application
 * would test it: the simulator and the engine share the kit's manual clock, so the subscription's
 * minutes of provisioning take milliseconds.
 */
@ExtendWith(WorkflowExtension.class)
class SubscriptionSetupKitTest {
  static final Map<String, Object> INPUTS =
      Map.of("name", "prod", "region", "us-east-1", "deploymentCidr", "10.0.0.0/24");

  RedisCloudSimulator cloud;
  Workflow setup;

  @BeforeEach
  void simulatedCloud(RedisCloudSimulator simulator, ManualClock clock) {
    cloud = simulator;
    RedisCloudClient client = simulator.clientBuilder().clock(clock).sleeper(clock).build();
    setup =
        RedisCloudWorkflows.registerAll(new WorkflowRegistry(), client, TlsTrust.system())
            .get("subscription-setup")
            .orElseThrow();
  }

  /** What the workflow changes in the account. */
  Supplier<List<List<String>>> account() {
    return () -> List.of(cloud.subscriptionNames(), cloud.databaseNames());
  }

  @Test
  void runsCompletelyWithItsEventsInOrder(WorkflowEngine engine, EventLog events) {
    WorkflowResult result = WorkflowChecks.eventsEmittedInOrder(engine, setup, INPUTS, events);

    assertThat(result).isCompleted();
    assertThat(events).areInOrder();
  }

  @Test
  void aSecondRunWithTheSameKeyCreatesNothingMore(WorkflowEngine engine) {
    WorkflowChecks.runsOnceWithOneKey(engine, setup, INPUTS, account());
  }

  @Test
  void aDryRunCreatesNothing(WorkflowEngine engine) {
    WorkflowChecks.dryRunChangesNothing(engine, setup, INPUTS, account());
  }

  @Test
  void rollbackDeletesWhatTheRunCreated(WorkflowEngine engine) {
    WorkflowChecks.rollbackUndoesWhatRan(engine, setup, INPUTS, account());
  }

  @Test
  void anUnreachableApiEndsInAConnectionErrorOrTheOpenBreakers(WorkflowEngine engine) {
    // The client's retries inside one run may already open the endpoint's breaker.
    WorkflowChecks.downedDependencyEndsInTypedError(
        engine, setup, INPUTS, cloud::close, ErrorKind.CONNECTION, ErrorKind.CIRCUIT_OPEN);
  }
}
