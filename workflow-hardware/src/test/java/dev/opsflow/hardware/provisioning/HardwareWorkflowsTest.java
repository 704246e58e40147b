package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardwareWorkflowsTest {

  @Test
  void registerAllNamesTheThreeWorkflowsAndMarksTheSecrets() {
    var registry = HardwareWorkflows.registerAll(new WorkflowRegistry());

    assertThat(registry.names())
        .containsExactly("commission-server", "firmware-first-provisioning", "server-provisioning");
    var provisioning =
        registry.describe().stream()
            .filter(w -> w.name().equals("server-provisioning"))
            .findFirst()
            .orElseThrow();
    assertThat(provisioning.parameters())
        .filteredOn(WorkflowRegistry.ParameterSpec::secret)
        .extracting(WorkflowRegistry.ParameterSpec::name)
        .containsExactlyInAnyOrder("maasApiKey", "bmcPassword", "sshKeyPassphrase", "sshPassword");
  }

  @Test
  void theRegistryRunsServerProvisioningFromTextArguments() {
    try (var hw = new SimulatedHardware()) {
      var registry = HardwareWorkflows.registerAll(new WorkflowRegistry(), hw.clients, hw.catalog);
      String id = hw.maas.addReadyMachine("node1");
      Map<String, String> args =
          Map.of(
              "maasUrl", hw.maas.baseUri(),
              "maasApiKey", hw.maas.apiKey().reveal(),
              "systemId", id,
              "deviceType", "d1.c2.medium",
              "bmcAddress", hw.bmcAddress(),
              "bmcUsername", hw.bmc.username(),
              "bmcPassword", hw.bmc.password().reveal(),
              "tags", "provisioned, storage",
              "bmcNetworkVia", "redfish");

      WorkflowResult result =
          registry.run(
              hw.engine, HardwareWorkflows.SERVER_PROVISIONING, args, RunOptions.defaults());

      assertThat(result.success()).as(result.message()).isTrue();
      assertThat(hw.biosAttributes()).containsEntry("ProcHyperthreading", "Disabled");
      assertThat(hw.maasClient().machine(id).tagNames()).contains("provisioned", "storage");
    }
  }
}
