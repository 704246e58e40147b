package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server-provisioning against the MAAS and Redfish simulators on a manual clock. */
class ServerProvisioningTest {
  private static final List<String> CHANGE_STEPS =
      List.of(
          "commission",
          "await-commissioned",
          "apply-bios",
          "await-bios",
          "configure-bmc-network",
          "tag-machine");

  private final SimulatedHardware hw = new SimulatedHardware();
  private final Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog);

  @AfterEach
  void close() {
    hw.close();
  }

  private Map<String, Object> inputs(String systemId) {
    var in = hw.inputs(systemId);
    in.put("targetBmcIp", "192.168.1.100");
    in.put("targetBmcGateway", "192.168.1.1");
    in.put("tags", "provisioned,rack-12");
    return in;
  }

  private static StepStatus status(WorkflowResult result, String step) {
    return result.step(step).orElseThrow().status();
  }

  @Test
  void provisionsANewServerFromCommissioningToTags() {
    String id = hw.maas.addMachine("node1");

    WorkflowResult result = hw.engine.run(workflow, inputs(id));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(hw.maas.status(id)).isEqualTo(MaasStatus.READY);
    assertThat(hw.biosAttributes())
        .containsEntry("BootMode", "Uefi")
        .containsEntry("SriovGlobalEnable", "Enabled")
        .containsEntry("PowerProfile", "MaxPerformance")
        .containsEntry("ProcHyperthreading", "Enabled");
    var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
    assertThat(nic.path("DHCPv4").path("DHCPEnabled").asBoolean()).isFalse();
    assertThat(nic.path("IPv4StaticAddresses").get(0).path("Address").asString())
        .isEqualTo("192.168.1.100");
    assertThat(hw.maasClient().machine(id).tagNames()).contains("provisioned", "rack-12");
    assertThat(result.outputs())
        .containsEntry("systemId", id)
        .containsEntry("hostname", "node1")
        .containsEntry("bmcAddress", "192.168.1.100")
        .containsEntry("tags", List.of("provisioned", "rack-12"))
        .containsEntry(
            "biosChanges",
            Map.of("SriovGlobalEnable", "Enabled", "PowerProfile", "MaxPerformance"));
    assertThat(status(result, "ssh-check")).isEqualTo(StepStatus.SKIPPED);
  }

  @Test
  void commissionsWithOpCommissionAndPatchesBiosWithIfMatch() {
    String id = hw.maas.addMachine("node1");

    hw.engine.run(workflow, inputs(id));

    assertThat(hw.maas.requests())
        .extracting(RecordedRequest::line)
        .contains("POST /MAAS/api/2.0/machines/" + id + "/?op=commission")
        .noneMatch(line -> line.contains("op-commission"));
    RecordedRequest patch =
        hw.bmc.requests().stream()
            .filter(r -> r.method().equals("PATCH") && r.path().endsWith("/Bios/Settings"))
            .findFirst()
            .orElseThrow();
    assertThat(patch.headers()).containsKey("if-match");
    assertThat(patch.body()).contains("OnReset").doesNotContain("BootMode");
  }

  @Test
  void aSecondRunOnAProvisionedServerSkipsEveryChangeAndChangesNothing() {
    String id = hw.maas.addMachine("node1");
    assertThat(hw.engine.run(workflow, inputs(id)).success()).isTrue();
    int maasSeen = hw.maas.requests().size();
    int bmcSeen = hw.bmc.requests().size();

    WorkflowResult again = hw.engine.run(workflow, inputs(id));

    assertThat(again.success()).as(again.message()).isTrue();
    for (String step : CHANGE_STEPS) {
      assertThat(status(again, step)).as(step).isEqualTo(StepStatus.SKIPPED);
    }
    assertThat(again.step("apply-bios").orElseThrow().skipReason()).contains("nothing to change");
    assertThat(again.step("commission").orElseThrow().skipReason())
        .contains("commissioned already");
    assertThat(hw.maas.requests().subList(maasSeen, hw.maas.requests().size()))
        .noneMatch(r -> r.method().equals("POST"));
    assertThat(hw.bmc.requests().subList(bmcSeen, hw.bmc.requests().size()))
        .noneMatch(SimulatedHardware::mutating);
    assertThat(again.outputs().get("biosChanges")).isEqualTo(Map.of());
  }

  @Test
  void aBiosFailureWithRollbackRestoresTheAttributesAndRemovesNothingItDidNotAdd() {
    String id = hw.maas.addMachine("node1");
    var maas = hw.maasClient();
    maas.createTag("rack-12", "placed before the run");
    maas.addTag("rack-12", List.of(id));
    Map<String, Object> biosBefore = hw.biosAttributes();
    // The BMC refuses the reset that would apply the new settings: the request after apply-bios.
    WorkflowListener refuseReset =
        e -> {
          if (e instanceof WorkflowEvent.StepSucceeded s && s.step().equals("apply-bios")) {
            hw.bmc.failNext(1, 400);
          }
        };
    try (var engine =
        WorkflowEngine.builder().clock(hw.clock).sleeper(hw.clock).listener(refuseReset).build()) {
      WorkflowResult result =
          engine.run(workflow, inputs(id), RunOptions.defaults().withRollback(true));

      assertThat(result.status()).as(result.message()).isEqualTo(RunState.ROLLED_BACK);
      assertThat(status(result, "await-bios")).isEqualTo(StepStatus.FAILED);
      assertThat(status(result, "apply-bios")).isEqualTo(StepStatus.COMPENSATED);
    }
    assertThat(hw.biosAttributes()).isEqualTo(biosBefore);
    assertThat(hw.bmc.resource("/redfish/v1/Systems/SRV-A1B2C3/Bios/Settings").path("Attributes"))
        .allSatisfy(v -> assertThat(biosBefore).containsValue(v.asString()));
    assertThat(maas.machine(id).tagNames()).containsExactly("rack-12");
    assertThat(hw.maas.requests()).noneMatch(r -> r.body().contains("remove="));
    var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
    assertThat(nic.path("DHCPv4").path("DHCPEnabled").asBoolean()).isTrue();
  }

  @Test
  void runsOnADurableStoreWhoseRecordsHoldNoSecret(@TempDir Path dir) throws Exception {
    String id = hw.maas.addMachine("node1");
    try (var engine =
        WorkflowEngine.builder()
            .clock(hw.clock)
            .sleeper(hw.clock)
            .store(FileExecutionStore.open(dir))
            .build()) {
      WorkflowResult result = engine.run(workflow, inputs(id));

      assertThat(result.success()).as(result.message()).isTrue();
    }
    String password = hw.bmc.password().reveal();
    String maasSecret = hw.maas.apiKey().reveal().split(":")[2];
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        // Every file, the binary journal too: bytes as ISO-8859-1, so a secret's ASCII shows.
        String text =
            new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).as(file.toString()).doesNotContain(password).doesNotContain(maasSecret);
      }
    }
  }

  @Test
  void failedCommissioningFailsWithTheMachinesStatusMessage() {
    String id = hw.maas.addMachine("node1");
    hw.maas.failCommissioning(id, "Storage /dev/sda failed SMART self-test");

    WorkflowResult result = hw.engine.run(workflow, inputs(id));

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    assertThat(status(result, "await-commissioned")).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().message())
        .contains("commissioning of MAAS machine " + id)
        .contains("Failed commissioning")
        .contains("Storage /dev/sda failed SMART self-test");
    assertThat(hw.bmc.requests()).noneMatch(SimulatedHardware::mutating);
  }

  @Test
  void failedTestingAfterCommissioningFailsWithTheStatusMessageToo() {
    String id = hw.maas.addMachine("node1");
    hw.maas.failTesting(id, "memtester: 2 bad DIMMs");

    WorkflowResult result = hw.engine.run(workflow, inputs(id));

    assertThat(result.success()).isFalse();
    assertThat(result.error().message())
        .contains("Failed testing")
        .contains("memtester: 2 bad DIMMs");
  }

  @Test
  void eachStepReportsWhatItIsDoingAsSubTasks() {
    String id = hw.maas.addMachine("node1");

    hw.engine.run(workflow, inputs(id));

    assertThat(hw.events)
        .filteredOn(WorkflowEvent.StepProgress.class::isInstance)
        .map(e -> ((WorkflowEvent.StepProgress) e).subTask())
        .contains(
            "Commissioning MAAS machine " + id + " (node1)",
            "MAAS machine " + id + ": 'Testing' (status 21): Running test scripts",
            "BIOS changes: SriovGlobalEnable: Disabled -> Enabled,"
                + " PowerProfile: Balanced -> MaxPerformance");
  }

  @Test
  void aBadTargetAddressFailsBeforeAnyRequest() {
    String id = hw.maas.addMachine("node1");
    var in = inputs(id);
    in.put("targetBmcIp", "192.168.1.300");

    assertThatThrownBy(() -> hw.engine.run(workflow, in))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("targetBmcIp")
        .hasMessageContaining("192.168.1.300")
        .hasMessageContaining("IPv4");
    assertThat(hw.maas.requests()).isEmpty();
    assertThat(hw.bmc.requests()).isEmpty();
  }

  @Test
  void anUnknownDeviceTypeFailsBeforeAnyRequest() {
    String id = hw.maas.addMachine("node1");
    var in = inputs(id);
    in.put("deviceType", "z9.unknown");

    assertThatThrownBy(() -> hw.engine.run(workflow, in))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("deviceType")
        .hasMessageContaining("z9.unknown")
        .hasMessageContaining("a1.c5.large");
    assertThat(hw.maas.requests()).isEmpty();
    assertThat(hw.bmc.requests()).isEmpty();
  }

  @Test
  void aGatewayOutsideTheBmcSubnetFailsBeforeAnyChange() {
    String id = hw.maas.addMachine("node1");
    var in = inputs(id);
    in.put("targetBmcGateway", "10.9.9.1");

    WorkflowResult result = hw.engine.run(workflow, in);

    assertThat(result.success()).isFalse();
    assertThat(status(result, "check-inputs")).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().message()).contains("targetBmcGateway").contains("10.9.9.1");
    assertThat(hw.maas.requests()).isEmpty();
    assertThat(hw.bmc.requests()).isEmpty();
  }

  @Test
  void aDryRunDescribesTheChangesAndMakesNone() {
    String id = hw.maas.addReadyMachine("node1");

    WorkflowResult result =
        hw.engine.run(workflow, inputs(id), RunOptions.defaults().withDryRun(true));

    assertThat(result.step("apply-bios").orElseThrow().description())
        .contains("SriovGlobalEnable: Disabled -> Enabled");
    assertThat(result.step("configure-bmc-network").orElseThrow().description())
        .contains("192.168.1.100");
    assertThat(hw.maas.requests()).noneMatch(r -> r.method().equals("POST"));
    assertThat(hw.bmc.requests()).noneMatch(SimulatedHardware::mutating);
  }

  @Test
  void secretsAreNeverInTheResultOrTheEvents() {
    String id = hw.maas.addMachine("node1");
    hw.maas.failCommissioning(id, "no disks");
    String bmcPassword = hw.bmc.password().reveal();
    String maasSecret = hw.maas.apiKey().reveal().split(":")[2];

    WorkflowResult failed = hw.engine.run(workflow, inputs(id));
    String ok = hw.maas.addMachine("node2");
    WorkflowResult succeeded = hw.engine.run(workflow, inputs(ok));

    for (WorkflowResult r : List.of(failed, succeeded)) {
      assertThat(r.toJson()).doesNotContain(bmcPassword).doesNotContain(maasSecret);
    }
    assertThat(hw.events).isNotEmpty();
    for (WorkflowEvent e : hw.events) {
      assertThat(dev.opsflow.workflow.Json.mapper().writeValueAsString(e))
          .doesNotContain(bmcPassword)
          .doesNotContain(maasSecret);
    }
  }
}
