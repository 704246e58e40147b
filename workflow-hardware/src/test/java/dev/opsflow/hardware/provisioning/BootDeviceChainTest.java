package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code set-boot-device}, the chain {@code boot_device} on the Redfish simulator: a {@code Once}
 * override before commissioning, skipped without {@code bootDevice} or when nothing is
 * commissioned, and a BMC without Redfish Boot skipped with its reason. The IPMI fallback is in
 * {@link ServerProvisioningIpmiSimPeerTest}, racadm's in {@link MethodChainOpenSshPeerTest}.
 */
class BootDeviceChainTest {
  private final SimulatedHardware hw = new SimulatedHardware();
  private RedfishSimulator other;

  @AfterEach
  void close() {
    if (other != null) {
      other.close();
    }
    hw.close();
  }

  private static List<RecordedRequest> bootPatches(RedfishSimulator bmc) {
    return bmc.requests().stream()
        .filter(r -> r.method().equals("PATCH") && r.body().contains("BootSourceOverrideTarget"))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> served(WorkflowResult result) {
    var methods = (Map<String, Object>) result.outputs().get("methods");
    assertThat(methods).as(result.toJson()).containsKey("boot_device");
    return (Map<String, Object>) methods.get("boot_device");
  }

  @Test
  void redfishSetsAOnceOverrideThatTheNextResetUsesUp() {
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);
    String id = hw.maas.addMachine("node1");
    Map<String, Object> in = hw.inputs(id);
    in.put("bootDevice", "pxe");

    WorkflowResult result = hw.engine.run(workflow, in);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(result.step("set-boot-device").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);
    assertThat(served(result).get("servedBy")).isEqualTo("redfish");
    assertThat(bootPatches(hw.bmc))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("/redfish/v1/Systems/SRV-A1B2C3");
              assertThat(p.body()).contains("\"Pxe\"").contains("\"Once\"");
            });
    // await-bios reset the server: the BMC used the one-time override up.
    assertThat(
            hw.bmc
                .resource("/redfish/v1/Systems/SRV-A1B2C3")
                .path("Boot")
                .path("BootSourceOverrideEnabled")
                .asString())
        .isEqualTo("Disabled");
  }

  @Test
  void withoutBootDeviceOrWithNothingToCommissionTheBootOrderIsLeftAlone() {
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);
    String id = hw.maas.addMachine("node1");

    WorkflowResult first = hw.engine.run(workflow, hw.inputs(id));
    Map<String, Object> in = hw.inputs(id);
    in.put("bootDevice", "PXE");
    WorkflowResult again = hw.engine.run(workflow, in);

    assertThat(first.success()).as(first.message()).isTrue();
    assertThat(first.step("set-boot-device").orElseThrow().skipReason()).contains("no bootDevice");
    assertThat(again.success()).as(again.message()).isTrue();
    assertThat(again.step("set-boot-device").orElseThrow().skipReason())
        .contains("nothing boots for commissioning")
        .contains("commissioned already");
    assertThat(bootPatches(hw.bmc)).isEmpty();
  }

  @Test
  void aBmcWithoutRedfishBootIsSkippedWithItsReasonAndNothingElseServes() {
    other = RedfishSimulator.start(Mockup.builtIn().withoutBoot(), hw.clock);
    HardwareClients clients =
        SimulatedHardware.trusting(other)
            .withMethods(
                Capability.BOOT_DEVICE, List.of(AccessMethod.REDFISH, AccessMethod.VENDOR_TOOLS));
    Workflow workflow = HardwareWorkflows.serverProvisioning(clients, hw.catalog);
    String id = hw.maas.addMachine("node1");
    Map<String, Object> in = hw.inputs(id);
    in.put("bmcAddress", other.origin().replaceFirst("^https://", ""));
    in.put("bmcUsername", other.username());
    in.put("bmcPassword", other.password());
    in.put("bootDevice", "pxe");

    WorkflowResult result = hw.engine.run(workflow, in);

    assertThat(result.success()).isFalse();
    assertThat(result.step("set-boot-device").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().message())
        .contains("no method could boot device")
        .contains("redfish: the Redfish system /redfish/v1/Systems/SRV-A1B2C3 has no Boot override")
        .contains("vendor_tools: device type a1.c5.large names no vendor tool");
    assertThat(result.step("commission").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
    assertThat(hw.maas.requests()).noneMatch(r -> r.line().contains("op=commission"));
    assertThat(bootPatches(other)).isEmpty();
  }

  @Test
  void aDryRunDescribesTheBootItWouldSet() {
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);
    String id = hw.maas.addMachine("node1");
    Map<String, Object> in = hw.inputs(id);
    in.put("bootDevice", "pxe");

    WorkflowResult result = hw.engine.run(workflow, in, RunOptions.defaults().withDryRun(true));

    assertThat(result.step("set-boot-device").orElseThrow().description())
        .isEqualTo(
            "boot MAAS machine " + id + " once from pxe for commissioning (chain boot_device)");
    assertThat(bootPatches(hw.bmc)).isEmpty();
  }
}
