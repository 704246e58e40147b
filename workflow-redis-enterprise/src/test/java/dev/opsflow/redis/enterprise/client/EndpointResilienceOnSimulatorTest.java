package dev.opsflow.redis.enterprise.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.EndpointResilience;
import dev.opsflow.workflow.http.EndpointResilience.Policy;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis Enterprise node whose API keeps failing (the simulator's fault injection) opens its
 * circuit breaker: 100 runs that each would retry 3 times send 5 requests, counted at the
 * simulator, and end with a CIRCUIT_OPEN error that names the node.
 */
class EndpointResilienceOnSimulatorTest {

  @Test
  void aFailingNodeOpensTheBreakerAndHundredRunsFailFast() {
    var clock = new ManualClock();
    try (var sim = RedisEnterpriseSimulator.builder().clock(clock).start()) {
      sim.faults().failNext(10_000, 503);
      var resilience =
          EndpointResilience.create(
              EndpointResilience.Policy.defaults().withCircuitBreaker(5, Duration.ofSeconds(30)));
      var client =
          RedisEnterpriseClient.create(
              sim.settings("admin@example.com", Secret.of("a-password"))
                  .withResilience(resilience));
      var wf =
          Workflow.builder("read-cluster")
              .step(
                  "read",
                  ctx -> client.cluster(),
                  StepOptions.defaults()
                      .withRetry(
                          Retries.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(4))))
              .build();
      List<WorkflowResult> results = new ArrayList<>();
      try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
        for (int i = 0; i < 100; i++) {
          results.add(engine.run(wf, Map.of()));
        }
      }

      assertThat(sim.requests("GET", "/v1/cluster")).hasSize(5);
      assertThat(results).allMatch(r -> r.status() == RunState.FAILED);
      assertThat(results.get(99).error().type()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
      assertThat(results.get(99).error().message()).contains(sim.url().replace("https://", ""));
    }
  }

  @Test
  void aBulkheadOfTenKeepsTwoHundredRunsAtTenRequestsAtTheNode() throws Exception {
    try (var sim = RedisEnterpriseSimulator.builder().start();
        var engine = WorkflowEngine.builder().build()) {
      var limited =
          sim.inFlight()
              .stallDuring(engine, readBootstrap(sim, Policy.off().withBulkhead(10)), 200, 10);
      int limitedPeak = sim.inFlight().peak();
      sim.inFlight().reset();
      var unlimited =
          sim.inFlight().stallDuring(engine, readBootstrap(sim, Policy.off()), 200, 200);

      assertThat(limited).hasSize(200).allMatch(r -> r.status() == RunState.COMPLETED);
      assertThat(limitedPeak).isEqualTo(10);
      // Without the bulkhead the same batch piles up at the node: the bound is the bulkhead's.
      assertThat(unlimited).allMatch(r -> r.status() == RunState.COMPLETED);
      assertThat(sim.inFlight().peak()).isEqualTo(200);
    }
  }

  private static Workflow readBootstrap(RedisEnterpriseSimulator sim, Policy policy) {
    var client =
        RedisEnterpriseClient.create(
            sim.settings("admin@example.com", Secret.of("a-password"))
                .withResilience(EndpointResilience.create(policy)));
    // GET /v1/bootstrap: answered by a node before it is part of a cluster.
    return Workflow.builder("read-bootstrap").step("read", ctx -> client.bootstrap()).build();
  }
}
