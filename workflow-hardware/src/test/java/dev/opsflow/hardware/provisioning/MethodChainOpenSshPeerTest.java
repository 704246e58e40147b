package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * server-provisioning on BMCs whose Redfish has no BIOS resource (Dell R630-era iDRACs, HPE
 * blades): the chain skips Redfish with its reason and the vendor tool, run over SSH on the machine
 * (real OpenSSH, fake racadm/ilorest on the test user's PATH, host key pinned), reads, stages and
 * applies the BIOS; the result says which method served each capability and why the others were
 * skipped.
 */
class MethodChainOpenSshPeerTest {
  private static FakeVendorTools vendor;
  private static String unavailable;

  private static final String CATALOG =
      """
      deviceTypes:
        r630:
          bios: {BootMode: Uefi, ProcVirtualization: Enabled, SysProfile: PerfOptimized}
          vendorTools: [racadm]
          methods: {power: [vendor_tools, redfish]}
        bl460:
          bios: {BootMode: Uefi, WorkloadProfile: Virtualization-MaxPerformance}
          vendorTools: [ilorest]
          methods: {power: [vendor_tools, redfish]}
        x11:
          bios: {Hyper-Threading: Enable}
          vendorTools: [sum]
      """;

  private final DeviceCatalog catalog = DeviceCatalog.parse("chain-test.yaml", CATALOG);
  private SimulatedHardware hw;
  private RedfishSimulator bmc;

  @BeforeAll
  static void start() {
    try {
      // No sum: a tool that is not installed is skipped with its reason.
      vendor = FakeVendorTools.only(List.of("racadm", "ilorest"));
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

  private Map<String, Object> inputs(String type) {
    String id = hw.maas.addMachine("node1");
    hw.maas.assignIpAddress(id, "127.0.0.1");
    var in = hw.inputs(id);
    in.put("deviceType", type);
    in.put("bmcAddress", bmc.origin().replaceFirst("^https://", ""));
    in.put("bmcUsername", bmc.username());
    in.put("bmcPassword", bmc.password());
    vendor.sshInputs(in);
    return in;
  }

  private WorkflowResult run(Map<String, Object> in) {
    Workflow workflow = HardwareWorkflows.serverProvisioning(hw.clients, catalog);
    return hw.engine.run(workflow, in);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> served(WorkflowResult result, String capability) {
    var methods = (Map<String, Object>) result.outputs().get("methods");
    assertThat(methods).as(result.toJson()).containsKey(capability);
    return (Map<String, Object>) methods.get(capability);
  }

  private void dell() {
    vendor.racadm(
        Map.of(
            "BiosBootSettings", List.of("BootMode=Bios", "BootSeqRetry=Enabled"),
            "ProcSettings", List.of("LogicalProc=Enabled", "ProcVirtualization=Disabled"),
            "SysProfileSettings", List.of("SysProfile=PerfPerWattOptimizedDapc")));
  }

  @Test
  void racadmOverSshServesTheBiosWhenRedfishHasNone() {
    dell();

    WorkflowResult result = run(inputs("r630"));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("racadm/current/BiosBootSettings")).contains("BootMode=Uefi");
    assertThat(vendor.read("racadm/current/ProcSettings")).contains("ProcVirtualization=Enabled");
    assertThat(vendor.read("racadm/current/SysProfileSettings"))
        .contains("SysProfile=PerfOptimized");
    assertThat(Files.exists(vendor.file(FakeVendorTools.HOST, "racadm/job"))).isFalse();
    Map<String, Object> read = served(result, "read_bios");
    assertThat(read.get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) read.get("skipped"))
        .hasEntrySatisfying("redfish", r -> assertThat(r).contains("no Bios resource"));
    assertThat(served(result, "apply_bios").get("servedBy")).isEqualTo("vendor_tools");
    assertThat(served(result, "power").get("servedBy")).isEqualTo("vendor_tools");
    assertThat(bmc.requests()).noneMatch(r -> r.path().contains("/Bios"));
  }

  @Test
  void ilorestOverSshServesTheBiosWhenRedfishHasNone() {
    vendor.ilorest(List.of("BootMode=LegacyBios", "WorkloadProfile=GeneralPowerEfficientCompute"));

    WorkflowResult result = run(inputs("bl460"));

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("ilorest/current"))
        .containsExactly("BootMode=Uefi", "WorkloadProfile=Virtualization-MaxPerformance");
    assertThat(served(result, "read_bios").get("servedBy")).isEqualTo("vendor_tools");
  }

  @Test
  void aToolThatIsNotInstalledIsSkippedWithItsReasonAndNoMethodLeftFailsTheStep() {
    dell();

    WorkflowResult result = run(inputs("x11"));

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("read-bios");
    assertThat(result.error().message())
        .contains("redfish: the Redfish system")
        .contains("sum is not installed on 127.0.0.1")
        .contains("ipmi: IPMI has no BIOS settings");
  }

  @Test
  void aRetryableRedfishFailureIsRetriedThenTheNextMethodServes() {
    dell();
    bmc.close();
    bmc = RedfishSimulator.start(Mockup.builtIn(), hw.clock);
    bmc.failNext(50, 503);

    WorkflowResult result = run(inputs("r630"));

    assertThat(result.success()).as(result.message()).isTrue();
    Map<String, Object> read = served(result, "read_bios");
    assertThat(read.get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) read.get("skipped"))
        .hasEntrySatisfying("redfish", r -> assertThat(r).contains("failed after 3 attempt(s)"));
  }

  @Test
  void anAuthenticationErrorStopsTheChain() {
    dell();
    var in = inputs("r630");
    in.put("bmcPassword", Secret.of("wrong-password"));
    bmc.close();
    bmc = RedfishSimulator.start(Mockup.builtIn(), hw.clock);
    in.put("bmcAddress", bmc.origin().replaceFirst("^https://", ""));

    WorkflowResult result = run(in);

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("read-bios");
    assertThat(String.valueOf(result.error().type())).isEqualTo(ErrorKind.AUTH.name());
    assertThat(vendor.read("racadm/current/BiosBootSettings")).contains("BootMode=Bios");
    assertThat(Files.exists(vendor.file(FakeVendorTools.HOST, "racadm/job"))).isFalse();
  }
}
