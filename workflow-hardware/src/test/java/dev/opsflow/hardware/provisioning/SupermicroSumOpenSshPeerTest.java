package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.IpmiSimPeer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
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
    return run(in, rollback, catalog);
  }

  private WorkflowResult run(Map<String, Object> in, boolean rollback, DeviceCatalog catalog) {
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

  @Test
  @SuppressWarnings("unchecked")
  void sumFlashesTheBiosAndGetBiosInfoVerifiesItAfterTheBmcsReset() throws Exception {
    vendor.sum(FakeVendorTools.HOST, X11);
    bmc.close();
    bmc = RedfishSimulator.start(Mockup.builtIn().withoutBios().withoutUpdateService(), hw.clock);
    // What the image declares it installs (the fake sum reads its first line).
    byte[] image = "BIOS=3.4\n".getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
    HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    images.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, image.length);
          exchange.getResponseBody().write(image);
          exchange.close();
        });
    images.start();
    try {
      DeviceCatalog x11 =
          DeviceCatalog.parse(
              "sum-fw.yaml",
              """
              deviceTypes:
                x11:
                  bios: {Boot mode select: UEFI}
                  firmware:
                    - {component: BIOS, version: "3.4", image: http://127.0.0.1:%d/X11_3.4.bin, sha256: %s}
                  vendorTools: [sum]
                  methods: {power: [vendor_tools, ipmi]}
              """
                  .formatted(images.getAddress().getPort(), sha));
      Map<String, Object> in = inputs();
      in.put("firmwareFirst", true);
      in.put("firmwareUpdates", "bios");

      WorkflowResult result = run(in, false, x11);

      assertThat(result.success()).as(result.message()).isTrue();
      assertThat(vendor.read("sum/firmware")).containsExactlyInAnyOrder("BMC=01.01.05", "BIOS=3.4");
      assertThat(result.outputs().get("firmwareUpdates")).isEqualTo(List.of("BIOS 1.0 -> 3.4"));
      Map<String, Object> inventory = served(result, "firmware_inventory");
      assertThat(inventory.get("servedBy")).isEqualTo("vendor_tools");
      assertThat((Map<String, String>) inventory.get("skipped"))
          .hasEntrySatisfying("redfish", r -> assertThat(r).contains("no UpdateService"));
      assertThat(served(result, "firmware_update").get("servedBy")).isEqualTo("vendor_tools");
      assertThat(bmc.requests()).noneMatch(r -> r.path().contains("UpdateService"));
    } finally {
      images.stop(0);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void sumSetsTheBmcNetworkWithChangeBmcCfgWhenRedfishManagesNone() {
    vendor.sum(FakeVendorTools.HOST, X11);
    bmc.close();
    bmc = RedfishSimulator.start(Mockup.builtIn().withoutBios().withoutManagerNetwork(), hw.clock);
    Map<String, Object> in = inputs();
    in.put("targetBmcIp", "192.168.77.21");
    in.put("targetBmcNetmask", "255.255.255.0");
    in.put("targetBmcGateway", "192.168.77.1");

    WorkflowResult result = run(in, false);

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("sum/bmc-ipv4"))
        .containsExactlyInAnyOrder(
            "IPSrc=Static",
            "IPAddr=192.168.77.21",
            "SubNetMask=255.255.255.0",
            "DefaultGateWayAddr=192.168.77.1");
    Map<String, Object> network = served(result, "bmc_network");
    assertThat(network.get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) network.get("skipped"))
        .containsOnlyKeys("redfish")
        .hasEntrySatisfying("redfish", r -> assertThat(r).contains("no manager EthernetInterface"));

    WorkflowResult again = run(in, false);

    assertThat(again.success()).as(again.message()).isTrue();
    assertThat(again.step("configure-bmc-network").orElseThrow().skipReason())
        .contains("static 192.168.77.21/255.255.255.0 via 192.168.77.1");
  }
}
