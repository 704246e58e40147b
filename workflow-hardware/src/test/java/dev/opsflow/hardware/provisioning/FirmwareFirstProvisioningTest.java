package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** firmware-first-provisioning against the Redfish simulator (BIOS 1.4.2, BMC 2.10.0). */
class FirmwareFirstProvisioningTest {
  private static final String BIOS_FIRMWARE = "/redfish/v1/UpdateService/FirmwareInventory/BIOS";

  private final SimulatedHardware hw = new SimulatedHardware();
  private final Workflow workflow = HardwareWorkflows.firmwareFirst(hw.clients, hw.catalog);

  @AfterEach
  void close() {
    hw.close();
  }

  private static StepStatus status(WorkflowResult result, String step) {
    return result.step(step).orElseThrow().status();
  }

  private List<RecordedRequest> simpleUpdates() {
    return hw.bmc.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("UpdateService.SimpleUpdate"))
        .toList();
  }

  @Test
  void updatesOutOfDateFirmwareResetsConfiguresBiosAndValidates() {
    String id = hw.maas.addReadyMachine("node1");

    WorkflowResult result = hw.engine.run(workflow, hw.inputs(id));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(hw.bmc.resource(BIOS_FIRMWARE).path("Version").asString()).isEqualTo("1.5.0");
    assertThat(simpleUpdates()).hasSize(1);
    assertThat(simpleUpdates().get(0).body())
        .contains("https://firmware.example/a1.c5.large/bios/1.5.0.bin")
        .contains(BIOS_FIRMWARE);
    assertThat(status(result, "reset-after-firmware")).isEqualTo(StepStatus.COMPLETED);
    assertThat(status(result, "apply-bios")).isEqualTo(StepStatus.COMPLETED);
    assertThat(status(result, "validate")).isEqualTo(StepStatus.COMPLETED);
    assertThat(hw.biosAttributes()).containsEntry("PowerProfile", "MaxPerformance");
    assertThat(result.outputs()).containsEntry("firmwareUpdates", List.of("BIOS 1.4.2 -> 1.5.0"));
  }

  @Test
  void upToDateFirmwareSkipsTheUpdateAndTheReset() {
    String id = hw.maas.addReadyMachine("node1");
    assertThat(hw.engine.run(workflow, hw.inputs(id)).success()).isTrue();
    int updatesBefore = simpleUpdates().size();

    WorkflowResult again = hw.engine.run(workflow, hw.inputs(id));

    assertThat(again.success()).as(again.message()).isTrue();
    assertThat(status(again, "update-firmware")).isEqualTo(StepStatus.SKIPPED);
    assertThat(again.step("update-firmware").orElseThrow().skipReason())
        .contains("firmware up to date")
        .contains("BIOS 1.5.0");
    assertThat(status(again, "reset-after-firmware")).isEqualTo(StepStatus.SKIPPED);
    assertThat(status(again, "apply-bios")).isEqualTo(StepStatus.SKIPPED);
    assertThat(simpleUpdates()).hasSize(updatesBefore);
  }

  @Test
  void anUpdateTaskEndingInExceptionFailsWithTheTasksMessages() {
    String id = hw.maas.addReadyMachine("node1");
    hw.bmc.failUpdates("Image signature verification failed");

    WorkflowResult result = hw.engine.run(workflow, hw.inputs(id));

    assertThat(result.success()).isFalse();
    assertThat(status(result, "update-firmware")).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().message())
        .contains("firmware update BIOS 1.4.2 -> 1.5.0 ended in Exception")
        .contains("Image signature verification failed");
    assertThat(hw.bmc.resource(BIOS_FIRMWARE).path("Version").asString()).isEqualTo("1.4.2");
    assertThat(hw.bmc.requests())
        .noneMatch(r -> r.method().equals("PATCH") || r.path().endsWith("ComputerSystem.Reset"));
  }
}
