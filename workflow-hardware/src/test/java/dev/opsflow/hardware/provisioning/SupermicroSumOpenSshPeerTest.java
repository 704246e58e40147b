package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Secret;
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
 * A Supermicro X11 whose Redfish has no BIOS resource: {@code sum} over real OpenSSH (the stateful
 * fake: the XML of {@code GetCurrentBiosCfg}, a {@code ChangeBiosCfg} file of only the changed
 * settings) reads and stages the BIOS, and the BMC ({@code ipmi_sim}) resets the machine, after
 * which sum reads the new values back. In-band SUM has no power control, so {@code power} is
 * IPMI's; the chain's result says so.
 */
class SupermicroSumOpenSshPeerTest {
  private static FakeVendorTools vendor;
  private static IpmiSimPeer ipmi;
  private static String unavailable;

  private static final List<String> X11 =
      List.of(
          "Advanced|Hyper-Threading [ALL]|Option|Enable|Disable,Enable",
          "Advanced|Intel Virtualization Technology|Option|Disable|Disable,Enable",
          "Boot|Boot mode select|Option|LEGACY|LEGACY,UEFI,DUAL",
          "Boot|Setup Prompt Timeout|Numeric|1|");

  private final DeviceCatalog catalog =
      DeviceCatalog.parse(
          "sum-test.yaml",
          """
          deviceTypes:
            x11:
              bios:
                Hyper-Threading [ALL]: Disable
                Intel Virtualization Technology: Enable
                Boot mode select: UEFI
                Setup Prompt Timeout: 5
              vendorTools: [sum]
              methods: {power: [vendor_tools, ipmi]}
          """);
  private SimulatedHardware hw;
  private RedfishSimulator bmc;

  @BeforeAll
  static void start() {
    try {
      ipmi = IpmiSimPeer.start();
      vendor = FakeVendorTools.start(List.of(), ipmi.dir().resolve("state/chassis/calls.log"));
    } catch (org.opentest4j.TestAbortedException missing) {
      unavailable = missing.getMessage();
    }
  }

  @AfterAll
  static void stop() {
    if (vendor != null) {
      vendor.close();
    }
    if (ipmi != null) {
      ipmi.close();
    }
  }

  @BeforeEach
  void setUp() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    hw = new SimulatedHardware();
    bmc = RedfishSimulator.start(Mockup.builtIn().withoutBios(), hw.clock);
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

  private Map<String, Object> inputs() {
    String id = hw.maas.addMachine("x11-node");
    hw.maas.assignIpAddress(id, FakeVendorTools.HOST);
    var in = hw.inputs(id);
    in.put("deviceType", "x11");
    in.put("bmcAddress", bmc.origin().replaceFirst("^https://", ""));
    in.put("bmcUsername", bmc.username());
    in.put("bmcPassword", bmc.password());
    in.put("ipmiPort", ipmi.port());
    vendor.sshInputs(in);
    return in;
  }

  private WorkflowResult run(Map<String, Object> in, boolean rollback) {
    HardwareClients clients =
        hw.clients.withIpmi(
            s ->
                s.withHost(ipmi.host())
                    .withCredentials(ipmi.username(), Secret.of(ipmi.password()))
                    .withTimeout(Duration.ofSeconds(20)));
    return hw.engine.run(
        HardwareWorkflows.serverProvisioning(clients, catalog),
        in,
        RunOptions.defaults().withRollback(rollback));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> served(WorkflowResult result, String capability) {
    var methods = (Map<String, Object>) result.outputs().get("methods");
    assertThat(methods).as(result.toJson()).containsKey(capability);
    return (Map<String, Object>) methods.get(capability);
  }

  @Test
  @SuppressWarnings("unchecked")
  void sumReadsAndStagesTheBiosAndTheBmcsResetAppliesIt() {
    vendor.sum(FakeVendorTools.HOST, X11);

    WorkflowResult result = run(inputs(), false);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("sum/current"))
        .containsExactly(
            "Advanced|Hyper-Threading [ALL]|Option|Disable|Disable,Enable",
            "Advanced|Intel Virtualization Technology|Option|Enable|Disable,Enable",
            "Boot|Boot mode select|Option|UEFI|LEGACY,UEFI,DUAL",
            "Boot|Setup Prompt Timeout|Numeric|5|");
    assertThat(vendor.read("sum/pending")).isEmpty();
    assertThat(served(result, "read_bios").get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) served(result, "read_bios").get("skipped"))
        .containsOnlyKeys("redfish");
    assertThat(served(result, "apply_bios").get("servedBy")).isEqualTo("vendor_tools");
    Map<String, Object> power = served(result, "power");
    assertThat(power.get("servedBy")).isEqualTo("ipmi");
    assertThat((Map<String, String>) power.get("skipped"))
        .hasEntrySatisfying("vendor_tools", r -> assertThat(r).contains("sum cannot power"));
    assertThat(result.outputs().get("biosChanges"))
        .isEqualTo(
            Map.of(
                "Hyper-Threading [ALL]", "Disable",
                "Intel Virtualization Technology", "Enable",
                "Boot mode select", "UEFI",
                "Setup Prompt Timeout", 5L));
  }

  @Test
  void aValueTheBiosDoesNotOfferIsRefusedBySumAndNothingIsStaged() {
    vendor.sum(
        FakeVendorTools.HOST,
        List.of(
            "Advanced|Hyper-Threading [ALL]|Option|Enable|Enable",
            "Advanced|Intel Virtualization Technology|Option|Enable|Disable,Enable",
            "Boot|Boot mode select|Option|UEFI|LEGACY,UEFI,DUAL",
            "Boot|Setup Prompt Timeout|Numeric|5|"));

    WorkflowResult result = run(inputs(), false);

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("apply-bios");
    assertThat(result.error().message())
        .contains("The value \"Disable\" of setting \"Hyper-Threading [ALL]\" is invalid");
    assertThat(vendor.read("sum/pending")).isEmpty();
  }
}
