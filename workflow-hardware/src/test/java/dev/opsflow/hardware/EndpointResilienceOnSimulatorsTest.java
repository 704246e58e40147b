package dev.opsflow.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.RedfishClient;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.EndpointResilience;
import dev.opsflow.workflow.http.EndpointResilience.Policy;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MAAS and a Redfish BMC whose APIs keep failing (the simulators' fault injection) open their
 * circuit breakers: 100 runs that each would retry 3 times send 5 requests, counted at the
 * simulator. A bulkhead of 10 holds a batch of 200 runs to 10 requests in flight at MAAS.
 */
class EndpointResilienceOnSimulatorsTest {
  private static final Duration OPEN = Duration.ofSeconds(30);

  private static List<WorkflowResult> runHundred(Workflow wf, ManualClock clock) {
    List<WorkflowResult> results = new ArrayList<>();
    try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
      for (int i = 0; i < 100; i++) {
        results.add(engine.run(wf, Map.of()));
      }
    }
    return results;
  }

  private static StepOptions threeAttempts() {
    return StepOptions.defaults()
        .withRetry(Retries.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(4)));
  }

  @Test
  void aFailingMaasOpensTheBreakerAndHundredRunsFailFast() {
    var clock = new ManualClock();
    try (var maas = MaasSimulator.start(clock)) {
      maas.failNext(10_000, 503, null);
      var resilience =
          EndpointResilience.create(
              EndpointResilience.Policy.defaults().withCircuitBreaker(5, OPEN));
      var client =
          MaasClient.create(
              HttpSettings.of(maas.baseUri()).withResilience(resilience), maas.apiKey());
      var wf =
          Workflow.builder("list-machines")
              .step("list", ctx -> client.machines(), threeAttempts())
              .build();

      List<WorkflowResult> results = runHundred(wf, clock);

      assertThat(maas.requests()).hasSize(5);
      assertThat(results).allMatch(r -> r.status() == RunState.FAILED);
      assertThat(results.get(99).error().type()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
    }
  }

  @Test
  void aFailingBmcOpensTheBreakerAndHundredRunsFailFast() {
    var clock = new ManualClock();
    try (var bmc = RedfishSimulator.start()) {
      var resilience =
          EndpointResilience.create(
              EndpointResilience.Policy.defaults().withCircuitBreaker(5, OPEN));
      var settings = bmc.settings().withHttp(bmc.settings().http().withResilience(resilience));
      try (var client = RedfishClient.connect(settings)) {
        bmc.failNext(10_000, 503);
        int before = bmc.requests().size();
        var wf =
            Workflow.builder("read-bmc")
                .step("read", ctx -> client.get("/redfish/v1/Systems"), threeAttempts())
                .build();

        List<WorkflowResult> results = runHundred(wf, clock);

        assertThat(bmc.requests().size() - before).isEqualTo(5);
        assertThat(results).allMatch(r -> r.status() == RunState.FAILED);
        assertThat(results.get(99).error().type()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
      }
    }
  }

  @Test
  void aBulkheadOfTenKeepsABatchOfTwoHundredAtTenRequestsAtMaas() throws Exception {
    try (var maas = MaasSimulator.start();
        var engine = WorkflowEngine.builder().build()) {
      var limited =
          maas.inFlight()
              .stallDuring(engine, listMachines(maas, Policy.off().withBulkhead(10)), 200, 10);
      int limitedPeak = maas.inFlight().peak();
      maas.inFlight().reset();
      var unlimited =
          maas.inFlight().stallDuring(engine, listMachines(maas, Policy.off()), 200, 200);

      assertThat(limited).hasSize(200).allMatch(r -> r.status() == RunState.COMPLETED);
      assertThat(limitedPeak).isEqualTo(10);
      // Without the bulkhead the same batch piles up at MAAS: the bound is the bulkhead's.
      assertThat(unlimited).allMatch(r -> r.status() == RunState.COMPLETED);
      assertThat(maas.inFlight().peak()).isEqualTo(200);
    }
  }

  private static Workflow listMachines(MaasSimulator maas, Policy policy) {
    var client =
        MaasClient.create(
            HttpSettings.of(maas.baseUri()).withResilience(EndpointResilience.create(policy)),
            maas.apiKey());
    return Workflow.builder("list-machines").step("list", ctx -> client.machines()).build();
  }
}
