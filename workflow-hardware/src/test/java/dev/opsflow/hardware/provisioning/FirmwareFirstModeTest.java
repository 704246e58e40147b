package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * server-provisioning in firmware-first mode ({@code firmwareFirst=true}): images checked against
 * their SHA-256 before anything changes, updates of the selected kinds in priority order (BMC
 * before BIOS), each read back, then commissioning, BIOS, BMC network and tags as usual, and a
 * validation. The images are served over HTTP on the loopback by the test.
 */
class FirmwareFirstModeTest {
  private static final byte[] BIOS_IMAGE = "BIOS image 1.5.0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BMC_IMAGE = "BMC image 2.11.0".getBytes(StandardCharsets.UTF_8);

  private final SimulatedHardware hw = new SimulatedHardware();
  private final List<String> downloads = new CopyOnWriteArrayList<>();
  private final HttpServer images;

  FirmwareFirstModeTest() throws IOException {
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    images.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          downloads.add(path);
          byte[] body =
              path.equals("/bios/1.5.0.bin")
                  ? BIOS_IMAGE
                  : path.equals("/bmc/2.11.0.bin") ? BMC_IMAGE : null;
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    images.start();
  }

  @AfterEach
  void close() {
    images.stop(0);
    hw.close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private DeviceCatalog catalog(String bmcSha) throws Exception {
    String base = "http://127.0.0.1:" + images.getAddress().getPort();
    return DeviceCatalog.parse(
        "ff.yaml",
        """
        deviceTypes:
          ff.node:
            bios: {BootMode: Uefi, PowerProfile: MaxPerformance}
            firmware:
              - {component: BIOS, version: 1.5.0, image: %1$s/bios/1.5.0.bin, sha256: %2$s}
              - {component: BMC, version: 2.11.0, image: %1$s/bmc/2.11.0.bin, sha256: %3$s}
              - {component: NIC.Slot.1, version: 22.1, image: %1$s/nic/22.1.bin, kind: nic}
        """
            .formatted(base, sha256(BIOS_IMAGE), bmcSha));
  }

  private Map<String, Object> inputs(String id) {
    var in = hw.inputs(id);
    in.put("deviceType", "ff.node");
    in.put("firmwareFirst", true);
    in.put("firmwareUpdates", "bios,bmc");
    in.put("targetBmcIp", "192.168.1.100");
    in.put("targetBmcGateway", "192.168.1.1");
    return in;
  }

  private List<RecordedRequest> simpleUpdates() {
    return hw.bmc.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("UpdateService.SimpleUpdate"))
        .toList();
  }

  private String version(String component) {
    return hw.bmc
        .resource("/redfish/v1/UpdateService/FirmwareInventory/" + component)
        .path("Version")
        .asString();
  }

  @Test
  void updatesTheSelectedKindsBmcFirstThenProvisionsAsUsual() throws Exception {
    Workflow workflow =
        HardwareWorkflows.serverProvisioning(hw.clients, catalog(sha256(BMC_IMAGE)));
    String id = hw.maas.addMachine("node1");

    WorkflowResult result = hw.engine.run(workflow, inputs(id));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(simpleUpdates()).hasSize(2);
    assertThat(simpleUpdates().get(0).body()).contains("/bmc/2.11.0.bin");
    assertThat(simpleUpdates().get(1).body()).contains("/bios/1.5.0.bin");
    assertThat(version("BMC")).isEqualTo("2.11.0");
    assertThat(version("BIOS")).isEqualTo("1.5.0");
    assertThat(downloads).containsExactlyInAnyOrder("/bios/1.5.0.bin", "/bmc/2.11.0.bin");
    assertThat(hw.maas.requests()).anyMatch(r -> r.query().equals("op=commission"));
    assertThat(hw.biosAttributes()).containsEntry("PowerProfile", "MaxPerformance");
    var nic = hw.bmc.resource("/redfish/v1/Managers/BMC/EthernetInterfaces/eth0");
    assertThat(nic.path("DHCPv4").path("DHCPEnabled").asBoolean()).isFalse();
    assertThat(hw.maasClient().machine(id).tagNames()).contains("provisioned");
    assertThat(result.step("validate").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(result.outputs().get("firmwareUpdates"))
        .isEqualTo(List.of("BMC 2.10.0 -> 2.11.0", "BIOS 1.4.2 -> 1.5.0"));
  }

  @Test
  void anImageWhoseChecksumDiffersIsAValidationErrorBeforeAnythingChanges() throws Exception {
    String wrong = "0".repeat(64);
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, catalog(wrong));
    String id = hw.maas.addMachine("node1");

    WorkflowResult result = hw.engine.run(workflow, inputs(id));

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("verify-firmware-images");
    assertThat(String.valueOf(result.error().type())).isEqualTo("VALIDATION");
    assertThat(result.error().message())
        .contains("BMC")
        .contains("/bmc/2.11.0.bin")
        .contains(sha256(BMC_IMAGE))
        .contains(wrong);
    assertThat(hw.maas.requests()).noneMatch(r -> r.method().equals("POST"));
    assertThat(hw.bmc.requests()).noneMatch(SimulatedHardware::mutating);
  }

  @Test
  void theDryRunListsEveryPlannedUpdateAndSettingChangeAndSucceeds() throws Exception {
    Workflow workflow =
        HardwareWorkflows.serverProvisioning(hw.clients, catalog(sha256(BMC_IMAGE)));
    String id = hw.maas.addReadyMachine("node1");

    WorkflowResult result =
        hw.engine.run(workflow, inputs(id), RunOptions.defaults().withDryRun(true));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(result.step("update-firmware").orElseThrow().description())
        .contains("BMC 2.10.0 -> 2.11.0")
        .contains("BIOS 1.4.2 -> 1.5.0")
        .doesNotContain("NIC");
    assertThat(result.step("apply-bios").orElseThrow().description()).contains("PowerProfile");
    assertThat(result.step("configure-bmc-network").orElseThrow().description())
        .contains("192.168.1.100");
    assertThat(hw.maas.requests()).noneMatch(r -> r.method().equals("POST"));
    assertThat(hw.bmc.requests()).noneMatch(SimulatedHardware::mutating);
  }

  @Test
  void withoutTheModeNoFirmwareStepRuns() throws Exception {
    Workflow workflow =
        HardwareWorkflows.serverProvisioning(hw.clients, catalog(sha256(BMC_IMAGE)));
    String id = hw.maas.addReadyMachine("node1");
    var in = inputs(id);
    in.remove("firmwareFirst");

    WorkflowResult result = hw.engine.run(workflow, in);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(simpleUpdates()).isEmpty();
    assertThat(downloads).isEmpty();
    assertThat(result.step("update-firmware").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
  }
}
