package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchState;
import dev.opsflow.workflow.batch.ItemState;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** BatchCommissioning over machines of the MAAS simulator, each with its own simulated BMC. */
class BatchCommissioningTest {
  private final SimulatedHardware hw = new SimulatedHardware();
  private final List<RedfishSimulator> bmcs = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final WorkflowEngine engine =
      WorkflowEngine.builder()
          .clock(hw.clock)
          .sleeper(hw.clock)
          .listener(
              e -> {
                if (e instanceof WorkflowEvent.RunStarted) {
                  maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                } else if (e instanceof WorkflowEvent.RunFinished) {
                  inFlight.decrementAndGet();
                }
              })
          .build();
  private final Workflow workflow = HardwareWorkflows.commissionServer(hw.clients, hw.catalog);

  @AfterEach
  void close() {
    engine.close();
    bmcs.forEach(RedfishSimulator::close);
    hw.close();
  }

  /** {@code count} new machines, each with its own simulated BMC. */
  private List<BatchCommissioning.Server> servers(int count) {
    var servers = new ArrayList<BatchCommissioning.Server>();
    for (int i = 1; i <= count; i++) {
      var bmc = RedfishSimulator.start(Mockup.builtIn(), hw.clock);
      bmcs.add(bmc);
      servers.add(
          new BatchCommissioning.Server(
              hw.maas.addMachine("node" + i),
              bmc.origin().replaceFirst("^https://", ""),
              bmc.username(),
              bmc.password()));
    }
    return servers;
  }

  private Map<String, Object> common() {
    var in = new LinkedHashMap<String, Object>();
    in.put("maasUrl", hw.maas.baseUri());
    in.put("maasApiKey", hw.maas.apiKey());
    in.put("deviceType", SimulatedHardware.DEVICE_TYPE);
    in.put("bmcUsername", hw.bmc.username());
    in.put("bmcPassword", hw.bmc.password());
    return in;
  }

  private BatchCommissioning batch(List<BatchCommissioning.Server> servers, BatchOptions options) {
    return BatchCommissioning.of(servers)
        .withBmcNetwork("192.168.1.100-110", "192.168.1.1", "255.255.255.0")
        .withInputs(common())
        .withOptions(options);
  }

  private static BatchOptions options() {
    return BatchOptions.defaults().withBatchId("rack-12");
  }

  private String bmcAddressOf(int index) {
    return bmcs.get(index)
        .resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0")
        .path("IPv4StaticAddresses")
        .path(0)
        .path("Address")
        .asString("");
  }

  private boolean anyMutatingRequest() {
    return hw.maas.requests().stream().anyMatch(r -> r.method().equals("POST"))
        || bmcs.stream().anyMatch(b -> b.requests().stream().anyMatch(SimulatedHardware::mutating));
  }

  @Test
  void commissionsEveryServerWithAtMostMaxParallelRunsAndAssignsTheRangeInOrder() {
    var servers = servers(5);

    BatchResult result =
        batch(servers, options().withMaxParallel(2)).run(engine, workflow, hw.maasClient());

    assertThat(result.state()).as(result.toJson()).isEqualTo(BatchState.COMPLETED);
    assertThat(maxInFlight.get()).isBetween(1, 2);
    for (int i = 0; i < 5; i++) {
      assertThat(bmcAddressOf(i)).isEqualTo("192.168.1." + (100 + i));
      assertThat(hw.maasClient().machine(servers.get(i).systemId()).tagNames())
          .contains("provisioned");
    }
  }

  @Test
  void thePlanNamesEachServersAddress() {
    var servers = servers(3);

    var plan = batch(servers, options()).plan(hw.maasClient());

    assertThat(plan.assignments())
        .containsExactly(
            Map.entry(servers.get(0).systemId(), "192.168.1.100"),
            Map.entry(servers.get(1).systemId(), "192.168.1.101"),
            Map.entry(servers.get(2).systemId(), "192.168.1.102"));
    assertThat(plan.batch().items())
        .extracting(i -> i.key())
        .containsExactly(
            servers.get(0).systemId(), servers.get(1).systemId(), servers.get(2).systemId());
  }

  @Test
  void aRangeSmallerThanTheBatchIsAValidationErrorBeforeAnythingRuns() {
    var servers = servers(5);
    var batch =
        BatchCommissioning.of(servers)
            .withBmcNetwork("192.168.1.100-102", "192.168.1.1", "255.255.255.0")
            .withInputs(common())
            .withOptions(options());

    assertThatThrownBy(() -> batch.run(engine, workflow, hw.maasClient()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("ipmiRange '192.168.1.100-102' has 3 addresses for 5 servers");
    assertThat(hw.maas.requests()).isEmpty();
    assertThat(anyMutatingRequest()).isFalse();
  }

  @Test
  void theGatewayInTheRangeIsNeverHandedOut() {
    var servers = servers(2);
    var plan =
        BatchCommissioning.of(servers)
            .withBmcNetwork("192.168.1.1-10", "192.168.1.1", "255.255.255.0")
            .withInputs(common())
            .withOptions(options())
            .plan(hw.maasClient());

    assertThat(plan.assignments().values()).containsExactly("192.168.1.2", "192.168.1.3");
    assertThat(plan.skipped().get(servers.get(0).systemId()))
        .containsExactly("192.168.1.1: the gateway");
  }

  @Test
  void anAddressAnotherMachineUsesIsSkippedAndTheNextFreeOneTaken() {
    var servers = servers(3);
    String other = hw.maas.addReadyMachine("legacy-db");
    hw.maas.assignIpAddress(other, "192.168.1.101");

    BatchCommissioning.Plan plan = batch(servers, options()).plan(hw.maasClient());

    assertThat(plan.assignments().values())
        .containsExactly("192.168.1.100", "192.168.1.102", "192.168.1.103");
    assertThat(plan.skipped().get(servers.get(1).systemId()))
        .containsExactly(
            "192.168.1.100: reserved for " + servers.get(0).systemId(),
            "192.168.1.101: in use by MAAS machine " + other + " (legacy-db)");
    assertThat(anyMutatingRequest()).isFalse();
  }

  @Test
  void anAddressThatIsAnotherServersCurrentBmcIsSkipped() {
    var servers =
        List.of(
            new BatchCommissioning.Server(hw.maas.addMachine("node1"), "192.168.1.50"),
            new BatchCommissioning.Server(hw.maas.addMachine("node2"), "192.168.1.100:443"));

    BatchCommissioning.Plan plan = batch(servers, options()).plan(hw.maasClient());

    assertThat(plan.assignments().get(servers.get(0).systemId())).isEqualTo("192.168.1.101");
    assertThat(plan.skipped().get(servers.get(0).systemId()))
        .containsExactly(
            "192.168.1.100: the current BMC address of server '" + servers.get(1).systemId() + "'");
  }

  @Test
  void aFailingServerDoesNotAffectTheOthers() {
    var servers = servers(4);
    String broken = servers.get(1).systemId();
    hw.maas.failCommissioning(broken, "PXE boot failed: no DHCP offer");

    BatchResult result =
        batch(servers, options().withMaxParallel(2)).run(engine, workflow, hw.maasClient());

    assertThat(result.state()).isEqualTo(BatchState.COMPLETED_WITH_FAILURES);
    assertThat(result.items(ItemState.FAILED))
        .extracting(BatchResult.Item::key)
        .containsExactly(broken);
    assertThat(result.items(ItemState.SUCCEEDED)).hasSize(3);
    assertThat(result.item(broken).orElseThrow().result().error().message())
        .contains("PXE boot failed: no DHCP offer");
    assertThat(bmcAddressOf(0)).isEqualTo("192.168.1.100");
    assertThat(bmcAddressOf(2)).isEqualTo("192.168.1.102");
  }

  @Test
  void failuresPastTheThresholdStopTheBatch() {
    var servers = servers(6);
    hw.maas.failCommissioning(servers.get(0).systemId(), "no disks");
    hw.maas.failCommissioning(servers.get(1).systemId(), "no disks");

    BatchResult result =
        batch(servers, options().withMaxParallel(1).withMaxFailedPercentage(20))
            .run(engine, workflow, hw.maasClient());

    assertThat(result.state()).isEqualTo(BatchState.STOPPED);
    assertThat(result.items(ItemState.FAILED)).hasSize(2);
    assertThat(result.items(ItemState.PENDING)).hasSize(4);
    assertThat(hw.maas.requests())
        .noneMatch(r -> r.path().contains(servers.get(5).systemId()) && r.method().equals("POST"));
  }

  @Test
  void runningTheBatchAgainRepeatsOnlyTheServersThatDidNotComplete() {
    var servers = servers(3);
    String flaky = servers.get(2).systemId();
    hw.maas.failCommissioning(flaky, "power driver timed out");
    BatchResult first = batch(servers, options()).run(engine, workflow, hw.maasClient());
    assertThat(first.items(ItemState.FAILED))
        .extracting(BatchResult.Item::key)
        .containsExactly(flaky);
    hw.maas.failCommissioning(flaky, null);
    int before = hw.maas.requests().size();

    BatchResult second = batch(servers, options()).run(engine, workflow, hw.maasClient());

    assertThat(second.state()).isEqualTo(BatchState.COMPLETED);
    String done = servers.get(0).systemId();
    assertThat(second.item(done).orElseThrow().runId())
        .isEqualTo(first.item(done).orElseThrow().runId());
    assertThat(hw.maas.requests().subList(before, hw.maas.requests().size()))
        .filteredOn(r -> r.method().equals("POST"))
        .allMatch(r -> r.path().contains(flaky) || r.path().contains("tags"));
    assertThat(second.toJson())
        .doesNotContain(bmcs.get(0).password().reveal())
        .doesNotContain(hw.maas.apiKey().reveal().split(":")[2]);
  }
}
