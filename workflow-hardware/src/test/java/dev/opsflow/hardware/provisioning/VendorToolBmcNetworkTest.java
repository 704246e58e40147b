package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.WorkflowResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BMC network through the vendor tool when the BMC's Redfish lists no manager
 * EthernetInterface: racadm's {@code iDRAC.IPv4} group and iLOrest's {@code ethernet
 * --network_ipv4}, run over real OpenSSH against the stateful fakes; the chain skips Redfish with
 * its reason and never reaches IPMI; a rollback puts DHCP back through the same tool.
 */
class VendorToolBmcNetworkTest {
  private static FakeVendorTools vendor;
  private static String unavailable;

  private final DeviceCatalog catalog =
      DeviceCatalog.parse(
          "network-test.yaml",
          """
          deviceTypes:
            r640:
              bios: {BootMode: Uefi}
              vendorTools: [racadm]
            dl360:
              bios: {BootMode: Uefi}
              vendorTools: [ilorest]
          """);
  private SimulatedHardware hw;
  private RedfishSimulator bmc;

  @BeforeAll
  static void start() {
    try {
      vendor = FakeVendorTools.start();
    } catch (org.opentest4j.TestAbortedException missing) {
      unavailable = missing.getMessage();
    }
  }

  @AfterAll
  static void stop() {
    if (vendor != null) {
      vendor.close();
    }
  }

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    hw = new SimulatedHardware();
    bmc = RedfishSimulator.start(Mockup.builtIn().withoutManagerNetwork(), hw.clock);
  }

  @AfterEach
  void tearDown() {
    if (bmc != null) {
      bmc.close();
    }
    if (hw != null) {
      hw.close();
    }
  }

  private Map<String, Object> inputs(String type) {
    String id = hw.maas.addMachine("node1");
    hw.maas.assignIpAddress(id, FakeVendorTools.HOST);
    var in = hw.inputs(id);
    in.put("deviceType", type);
    in.put("bmcAddress", bmc.origin().replaceFirst("^https://", ""));
    in.put("bmcUsername", bmc.username());
    in.put("bmcPassword", bmc.password());
    in.put("targetBmcIp", "192.168.1.140");
    in.put("targetBmcNetmask", "255.255.255.0");
    in.put("targetBmcGateway", "192.168.1.1");
    vendor.sshInputs(in);
    return in;
  }

  private WorkflowResult run(Map<String, Object> in, boolean rollback) {
    return hw.engine.run(
        HardwareWorkflows.serverProvisioning(hw.clients, catalog),
        in,
        RunOptions.defaults().withRollback(rollback));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bmcNetwork(WorkflowResult result) {
    var methods = (Map<String, Object>) result.outputs().get("methods");
    assertThat(methods).as(result.toJson()).containsKey("bmc_network");
    return (Map<String, Object>) methods.get("bmc_network");
  }

  @Test
  @SuppressWarnings("unchecked")
  void racadmSetsTheIdracAddressWhenRedfishHasNoManagerInterface() {
    vendor.racadm(Map.of("BiosBootSettings", List.of("BootMode=Uefi")));

    WorkflowResult result = run(inputs("r640"), false);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("racadm/ipv4"))
        .contains(
            "DHCPEnable=Disabled",
            "Address=192.168.1.140",
            "Netmask=255.255.255.0",
            "Gateway=192.168.1.1");
    Map<String, Object> served = bmcNetwork(result);
    assertThat(served.get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) served.get("skipped"))
        .containsOnlyKeys("redfish")
        .hasEntrySatisfying("redfish", r -> assertThat(r).contains("no manager EthernetInterface"));
    assertThat(result.outputs().get("bmcAddress")).isEqualTo("192.168.1.140");

    // A second run finds the iDRAC static on that address already and changes nothing.
    vendor.racadm(Map.of("BiosBootSettings", List.of("BootMode=Uefi")));
    var again = inputs("r640");
    WorkflowResult first = run(again, false);
    assertThat(first.success()).as(first.message()).isTrue();
    List<String> after = vendor.read("racadm/ipv4");
    WorkflowResult second = run(again, false);
    assertThat(second.success()).as(second.message()).isTrue();
    assertThat(vendor.read("racadm/ipv4")).isEqualTo(after);
  }

  @Test
  void aRollbackPutsTheIdracBackOnDhcpThroughRacadm() {
    vendor.racadm(Map.of("BiosBootSettings", List.of("BootMode=Uefi")));
    var in = inputs("r640");
    in.put("sshCheckCommand", "exit 3");

    WorkflowResult result = run(in, true);

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("ssh-check");
    assertThat(vendor.read("racadm/ipv4")).contains("DHCPEnable=Enabled", "Address=192.168.1.140");
  }

  @Test
  void ilorestSetsTheIloAddressWhenRedfishHasNoManagerInterface() {
    vendor.ilorest(List.of("BootMode=Uefi"));

    WorkflowResult result = run(inputs("dl360"), false);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("ilorest/network"))
        .containsExactly("false", "192.168.1.140", "255.255.255.0", "192.168.1.1");
    assertThat(bmcNetwork(result).get("servedBy")).isEqualTo("vendor_tools");
  }

  @Test
  void aRollbackPutsTheIloBackOnDhcpThroughIlorest() {
    vendor.ilorest(List.of("BootMode=Uefi"));
    var in = inputs("dl360");
    in.put("sshCheckCommand", "exit 3");

    WorkflowResult result = run(in, true);

    assertThat(result.success()).isFalse();
    assertThat(vendor.read("ilorest/network").get(0)).isEqualTo("true");
  }
}
