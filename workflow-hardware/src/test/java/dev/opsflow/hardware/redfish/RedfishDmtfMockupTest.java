package dev.opsflow.hardware.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.hardware.testing.InStep;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The simulator and the client over DMTF's public-rackmount1 mockup, when {@code
 * OPSFLOW_REDFISH_MOCKUP} names its directory (.ci/run points it at
 * ../shared/fixtures/redfish/public-rackmount1). Skipped otherwise.
 */
@EnabledIfEnvironmentVariable(
    named = "OPSFLOW_REDFISH_MOCKUP",
    matches = ".+",
    disabledReason =
        "OPSFLOW_REDFISH_MOCKUP is not set: it names DMTF's public-rackmount1 mockup"
            + " directory (../shared/fixtures/redfish/public-rackmount1)")
class RedfishDmtfMockupTest {
  private static final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private static RedfishSimulator bmc;
  private static RedfishClient client;

  @BeforeAll
  static void start() {
    String dir = System.getenv("OPSFLOW_REDFISH_MOCKUP");
    assumeTrue(
        Files.isRegularFile(Path.of(dir, "index.json")),
        "OPSFLOW_REDFISH_MOCKUP=" + dir + " has no index.json");
    bmc = RedfishSimulator.start(Mockup.fromDirectory(Path.of(dir)), clock);
    client = RedfishClient.connect(bmc.settings());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (bmc != null) {
      bmc.close();
    }
  }

  @Test
  void findsTheSystemAndItsResetActionByFollowingLinks() {
    String system = client.systems().get(0);

    assertThat(system).isEqualTo("/redfish/v1/Systems/437XR1138R2");
    RedfishSystem s = client.system(system);
    assertThat(s.resetTarget())
        .isEqualTo("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset");
    assertThat(s.biosUri()).isEqualTo("/redfish/v1/Systems/437XR1138R2/Bios");
  }

  @Test
  void powerFollowsResetAndPendingBiosAppliesOnRestart() {
    String system = client.systems().get(0);

    client.setBiosAttributes(system, Map.of("ProcHyperthreading", "Disabled"), ApplyTime.ON_RESET);
    client.reset(system, "ForceOff");
    assertThat(client.powerState(system)).isEqualTo("Off");
    client.reset(system, "On");

    assertThat(client.powerState(system)).isEqualTo("On");
    assertThat(client.bios(system).attributes())
        .containsEntry("ProcHyperthreading", "Disabled")
        .containsEntry("ProcTurboMode", "Disabled");
  }

  @Test
  void bootOverrideUsesTheMockupsAllowableTargets() {
    String system = client.systems().get(0);

    client.setBootOverride(system, "Hdd", "Continuous", "UEFI");

    assertThat(client.get(system).path("Boot").path("BootSourceOverrideEnabled").asString())
        .isEqualTo("Continuous");
  }

  @Test
  void simpleUpdateRunsATaskToCompletion() {
    String bmcFirmware = "/redfish/v1/UpdateService/FirmwareInventory/BMC";
    RedfishTask task =
        InStep.call(
            clock,
            ctx ->
                client.awaitTask(
                    ctx,
                    client.simpleUpdate(
                        "https://repo.example/bmc-2.0.bin", "HTTPS", List.of(bmcFirmware)),
                    Duration.ofMinutes(30)));

    assertThat(task.state()).isEqualTo("Completed");
    assertThat(client.firmwareInventory()).extracting(FirmwareItem::id).contains("BMC", "BIOS");
  }

  @Test
  void managerEthernetInterfaceTakesAStaticAddress() {
    String nic =
        client.managerEthernetInterfaces(client.managers().get(0)).stream()
            .filter(u -> u.endsWith("/eth0"))
            .findFirst()
            .orElseThrow();

    client.setStaticIpv4(nic, "10.9.8.7", "255.255.255.0", "10.9.8.1");

    assertThat(client.ethernetInterface(nic).dhcpEnabled()).isFalse();
    assertThat(client.ethernetInterface(nic).ipv4Addresses().get(0).address())
        .isEqualTo("10.9.8.7");
  }
}
