package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
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
 * The Redis Cloud API failing with 503s (the simulator's fault injection) opens the breaker the
 * client's requests share: 100 runs whose client retries each request 3 times send 5 requests,
 * counted at the simulator; and a bulkhead of 10 holds a batch of 200 runs to 10 requests in flight
 * at the simulator.
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

  @Test
  void aBulkheadOfTenKeepsTwoHundredRunsAtTenRequestsAtTheSimulator() throws Exception {
    try (var sim = RedisCloudSimulator.start();
        var engine = WorkflowEngine.builder().build()) {
      // 400 requests in a few seconds: past the API's rate limit, which the client paces itself
      // to by default (400 a minute) and the simulator enforces; both off for this test.
      sim.rateLimit(0);
      var limited =
          sim.inFlight()
              .stallDuring(engine, listTasks(sim, Policy.off().withBulkhead(10)), 200, 10);
      int limitedPeak = sim.inFlight().peak();
      sim.inFlight().reset();
      var unlimited = sim.inFlight().stallDuring(engine, listTasks(sim, Policy.off()), 200, 200);

      assertThat(limited).allMatch(r -> r.status() == RunState.COMPLETED).hasSize(200);
      assertThat(limitedPeak).isEqualTo(10);
      // Without the bulkhead the same batch piles up at the server: the bound is the bulkhead's.
      assertThat(unlimited).allMatch(r -> r.status() == RunState.COMPLETED);
      assertThat(sim.inFlight().peak()).isEqualTo(200);
    }
  }

  private static Workflow listTasks(RedisCloudSimulator sim, Policy policy) {
    RedisCloudClient client =
        sim.clientBuilder()
            .requestsPerMinute(1_000_000)
            .httpSettings(s -> s.withResilience(EndpointResilience.create(policy)))
            .build();
    return Workflow.builder("list-tasks").step("list", ctx -> client.tasks()).build();
  }
}
