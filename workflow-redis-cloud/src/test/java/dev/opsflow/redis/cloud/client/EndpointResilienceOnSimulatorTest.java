package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.EndpointResilience;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Redis Cloud API failing with 503s (the simulator's fault injection) opens the breaker the
 * client's requests share: 100 runs whose client retries each request 3 times send 5 requests,
 * counted at the simulator.
 */
class EndpointResilienceOnSimulatorTest {

  @Test
  void aFailingApiOpensTheBreakerAndHundredRunsFailFast() {
    var clock = new ManualClock();
    try (var sim = RedisCloudSimulator.start(clock)) {
      sim.faults().failNextRequests(10_000, 503);
      var resilience =
          EndpointResilience.create(
              EndpointResilience.Policy.defaults().withCircuitBreaker(5, Duration.ofSeconds(30)));
      RedisCloudClient client =
          sim.clientBuilder()
              .clock(clock)
              .sleeper(clock)
              .maxAttempts(3)
              .httpSettings(s -> s.withResilience(resilience))
              .build();
      var wf = Workflow.builder("list-tasks").step("list", ctx -> client.tasks()).build();
      List<WorkflowResult> results = new ArrayList<>();
      try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
        for (int i = 0; i < 100; i++) {
          results.add(engine.run(wf, Map.of()));
        }
      }

      assertThat(sim.requests()).filteredOn(r -> r.path().endsWith("/tasks")).hasSize(5);
      assertThat(results).allMatch(r -> r.status() == RunState.FAILED);
      assertThat(results.get(99).error().type()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
    }
  }
}
