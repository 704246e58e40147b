package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchState;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.SecretResolver;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The defects of the last round, each with the test that failed before its fix: the BMC network's
 * rollback talked to the address the BMC had left; a tag-machine that failed halfway kept the tags
 * it added; a batch could only give every server one BMC password.
 */
class KnownDefectsTest {
  private final SimulatedHardware hw = new SimulatedHardware();
  private final List<RedfishSimulator> bmcs = new ArrayList<>();

  @AfterEach
  void close() {
    bmcs.forEach(RedfishSimulator::close);
    hw.close();
  }

  private Map<String, Object> inputs(String systemId) {
    var in = hw.inputs(systemId);
    in.put("targetBmcIp", "192.168.1.100");
    in.put("targetBmcGateway", "192.168.1.1");
    in.put("tags", "provisioned,rack-12");
    return in;
  }

  /** Fails the MAAS request after the sub-task that contains {@code text} is reported. */
  private WorkflowListener failMaasAfter(String text) {
    return e -> {
      if (e instanceof WorkflowEvent.StepProgress p
          && p.subTask() != null
          && p.subTask().contains(text)) {
        hw.maas.failNext(1, 400, null);
      }
    };
  }

  private WorkflowEngine engine(WorkflowListener listener) {
    return WorkflowEngine.builder().clock(hw.clock).sleeper(hw.clock).listener(listener).build();
  }

  @Test
  void aBmcNetworkRollbackReachesTheBmcAtTheAddressItMovedTo() {
    // The network as it is: the BMC answers at its DHCP address (127.0.0.1 here) until it is made
    // static, then only at its static address; anything else is refused.
    List<String> reached = new CopyOnWriteArrayList<>();
    HardwareClients clients =
        HardwareClients.fromContext()
            .withMethodRetry(dev.opsflow.workflow.Retries.none())
            .withMethods(List.of(AccessMethod.REDFISH))
            .withRedfish(
                s -> {
                  URI asked = s.http().baseUri();
                  var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
                  String at =
                      nic.path("DHCPv4").path("DHCPEnabled").asBoolean()
                          ? "127.0.0.1"
                          : nic.path("IPv4StaticAddresses").path(0).path("Address").asString();
                  reached.add(asked.getHost());
                  URI routed =
                      asked.getHost().equals(at)
                          ? SimulatedHardware.loopback(asked)
                          : URI.create("https://127.0.0.1:1/");
                  return s.withHttp(
                      s.http().withBaseUri(routed).withTrustedPem(hw.bmc.certificatePem()));
                });
    Workflow workflow = HardwareWorkflows.serverProvisioning(clients, hw.catalog);
    String id = hw.maas.addMachine("node1");

    WorkflowResult result;
    try (var engine = engine(failMaasAfter("Tagging MAAS machine"))) {
      result = engine.run(workflow, inputs(id), RunOptions.defaults().withRollback(true));
    }

    assertThat(result.status()).as(result.message()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.step("configure-bmc-network").orElseThrow().status())
        .isEqualTo(StepStatus.COMPENSATED);
    var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
    assertThat(nic.path("DHCPv4").path("DHCPEnabled").asBoolean()).isTrue();
    assertThat(reached).contains("192.168.1.100");
  }

  @Test
  void aTagStepThatFailsHalfwayTakesBackTheTagsItAdded() {
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);
    String id = hw.maas.addMachine("node1");

    WorkflowResult result;
    try (var engine = engine(failMaasAfter("with 'rack-12'"))) {
      result = engine.run(workflow, inputs(id));
    }

    assertThat(result.success()).isFalse();
    assertThat(result.step("tag-machine").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(hw.maasClient().machine(id).tagNames()).doesNotContain("provisioned", "rack-12");
  }

  @Test
  void eachBatchServerLogsInToItsBmcWithItsOwnPasswordFromTheInventory() {
    var env = new LinkedHashMap<String, String>();
    var csv = new StringBuilder(String.join(",", ServerInventory.COLUMNS) + "\n");
    for (int i = 1; i <= 3; i++) {
      var bmc = RedfishSimulator.start(Mockup.builtIn(), hw.clock);
      bmcs.add(bmc);
      String id = hw.maas.addMachine("node" + i);
      env.put("BMC_PW_" + i, bmc.password().reveal());
      csv.append(
          String.join(
                  ",",
                  id,
                  SimulatedHardware.DEVICE_TYPE,
                  bmc.origin().replaceFirst("^https://", ""),
                  bmc.username(),
                  "@env:BMC_PW_" + i)
              + "\n");
    }
    assertThat(bmcs.stream().map(b -> b.password().reveal()).distinct()).hasSize(3);
    ServerInventory inventory =
        ServerInventory.parse("servers.csv", csv.toString(), env::get, null);
    var common = new LinkedHashMap<String, Object>();
    common.put("maasUrl", hw.maas.baseUri());
    common.put("maasApiKey", hw.maas.apiKey());

    BatchResult result;
    try (var engine = engine(e -> {})) {
      result =
          BatchCommissioning.of(inventory.servers())
              .withBmcNetwork("192.168.1.100-110", "192.168.1.1", "255.255.255.0")
              .withInputs(common)
              .withOptions(BatchOptions.defaults().withBatchId("rack-7"))
              .run(
                  engine,
                  HardwareWorkflows.commissionServer(hw.clients, hw.catalog),
                  hw.maasClient());
      assertThat(result.state()).as(result.toJson()).isEqualTo(BatchState.COMPLETED);
      // A resumed run gets its own server's password back: stores never hold it.
      SecretResolver resolver = inventory.secretResolver(engine.store(), SecretResolver.none());
      for (var run : engine.store().query(RunQuery.all())) {
        String id = String.valueOf(run.inputs().get("systemId"));
        int index =
            inventory.servers().stream()
                .map(BatchCommissioning.Server::systemId)
                .toList()
                .indexOf(id);
        assertThat(
                resolver.resolve(run.workflow(), run.runId(), "bmcPassword").orElseThrow().reveal())
            .isEqualTo(bmcs.get(index).password().reveal());
      }
    }
    for (RedfishSimulator bmc : bmcs) {
      assertThat(bmc.requests()).anyMatch(r -> r.path().endsWith("/Sessions"));
    }
    assertThat(result.toJson()).doesNotContain(env.values().iterator().next());
  }
}
