package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.ipmi.BootDevice;
import dev.opsflow.hardware.ipmi.IpSource;
import dev.opsflow.hardware.ipmi.IpmiClient;
import dev.opsflow.hardware.ipmi.IpmiSettings;
import dev.opsflow.hardware.ipmi.LanConfig;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.IpmiSimPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * server-provisioning end to end with the BMC network set over IPMI ({@code bmcNetworkVia=IPMI}):
 * real ipmitool against OpenIPMI's ipmi_sim, MAAS and Redfish simulated. Skipped when ipmi_sim is
 * missing, unless OPSFLOW_REQUIRE_PEERS=1.
 */
class ServerProvisioningIpmiSimPeerTest {
  private static IpmiSimPeer peer;
  private static String unavailable;

  private SimulatedHardware hw;

  @BeforeAll
  static void start() {
    try {
      peer = IpmiSimPeer.start();
    } catch (org.opentest4j.TestAbortedException missing) {
      unavailable = missing.getMessage();
    }
  }

  @AfterAll
  static void stop() {
    if (peer != null) {
      peer.close();
    }
  }

  @BeforeEach
  void requirePeer() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    hw = new SimulatedHardware();
  }

  @AfterEach
  void close() {
    if (hw != null) {
      hw.close();
    }
  }

  /**
   * ipmi_sim has its own account: the IPMI settings take it (a site may do the same). Whatever
   * address the BMC moved to, it is ipmi_sim on the loopback.
   */
  private IpmiSettings ipmi(IpmiSettings s) {
    return s.withHost(peer.host())
        .withCredentials(peer.username(), Secret.of(peer.password()))
        .withTimeout(Duration.ofSeconds(20));
  }

  @Test
  void provisionsWithLanSetThenSkipsTheBmcNetworkOnTheNextRun() {
    HardwareClients clients = hw.clients.withIpmi(this::ipmi);
    Workflow workflow = HardwareWorkflows.serverProvisioning(clients, hw.catalog);
    String id = hw.maas.addMachine("node1");
    Map<String, Object> in = hw.inputs(id);
    in.put("bmcNetworkVia", "IPMI");
    in.put("ipmiPort", peer.port());
    in.put("targetBmcIp", "192.168.77.20");
    in.put("targetBmcNetmask", "255.255.255.0");
    in.put("targetBmcGateway", "192.168.77.1");

    WorkflowResult result = hw.engine.run(workflow, in);

    assertThat(result.success()).as(result.message()).isTrue();
    LanConfig lan =
        IpmiClient.create(
                ipmi(IpmiSettings.of(peer.host(), peer.username(), Secret.of(peer.password())))
                    .withPort(peer.port()))
            .lanPrint(1);
    assertThat(lan.ipSource()).isEqualTo(IpSource.STATIC);
    assertThat(lan.ipAddress()).isEqualTo("192.168.77.20");
    assertThat(lan.subnetMask()).isEqualTo("255.255.255.0");
    assertThat(lan.defaultGateway()).isEqualTo("192.168.77.1");

    WorkflowResult again = hw.engine.run(workflow, in);

    assertThat(again.success()).as(again.message()).isTrue();
    assertThat(again.step("configure-bmc-network").orElseThrow().status())
        .isEqualTo(StepStatus.SKIPPED);
    assertThat(again.step("configure-bmc-network").orElseThrow().skipReason())
        .contains("static 192.168.77.20/255.255.255.0 via 192.168.77.1");
    assertThat(again.toJson())
        .doesNotContain(peer.password())
        .doesNotContain(hw.bmc.password().reveal());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBmcWithoutRedfishBootGetsTheNextBootOverIpmi() {
    IpmiClient direct =
        IpmiClient.create(
            ipmi(IpmiSettings.of(peer.host(), peer.username(), Secret.of(peer.password())))
                .withPort(peer.port()));
    direct.setBootDevice(BootDevice.DISK, false, false);
    assertThat(direct.run("chassis", "bootparam", "get", "5")).doesNotContain("Force PXE");
    try (RedfishSimulator noBoot =
        RedfishSimulator.start(Mockup.builtIn().withoutBoot(), hw.clock)) {
      HardwareClients clients = SimulatedHardware.trusting(noBoot).withIpmi(this::ipmi);
      Workflow workflow = HardwareWorkflows.serverProvisioning(clients, hw.catalog);
      String id = hw.maas.addMachine("node1");
      Map<String, Object> in = hw.inputs(id);
      in.put("bmcAddress", noBoot.origin().replaceFirst("^https://", ""));
      in.put("bmcUsername", noBoot.username());
      in.put("bmcPassword", noBoot.password());
      in.put("ipmiPort", peer.port());
      in.put("bootDevice", "pxe");

      WorkflowResult result = hw.engine.run(workflow, in);

      assertThat(result.success()).as(result.message()).isTrue();
      var chain =
          (Map<String, Object>)
              ((Map<String, Object>) result.outputs().get("methods")).get("boot_device");
      assertThat(chain.get("servedBy")).isEqualTo("ipmi");
      assertThat((Map<String, String>) chain.get("skipped"))
          .containsOnlyKeys("redfish", "vendor_tools")
          .hasEntrySatisfying("redfish", r -> assertThat(r).contains("has no Boot override"));
      assertThat(direct.run("chassis", "bootparam", "get", "5")).contains("Force PXE");
      assertThat(noBoot.requests()).noneMatch(r -> r.body().contains("BootSourceOverride"));
      assertThat(List.of(result.toJson())).noneMatch(j -> j.contains(peer.password()));
    }
  }
}
