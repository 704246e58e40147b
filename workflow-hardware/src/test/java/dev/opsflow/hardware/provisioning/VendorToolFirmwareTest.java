package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.WorkflowResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Firmware-first on a Dell whose Redfish has no UpdateService: the chains of {@code
 * firmware_inventory} and {@code firmware_update} skip Redfish with the reason and racadm serves
 * them over real OpenSSH (the stateful fake): {@code racadm getversion} is the inventory, each Dell
 * Update Package is downloaded, checked, uploaded and flashed with {@code racadm update -f}; the
 * iDRAC reads back at once, the BIOS after the reset the step makes.
 */
class VendorToolFirmwareTest {
  private static final String BIOS_DUP = "BIOS_0F4YY_LN_2.5.4.BIN";
  private static final String IDRAC_DUP =
      "iDRAC-with-Lifecycle-Controller_Firmware_0X9F7_LN_2.75.75.75_A00.BIN";
  private static final byte[] BIOS_IMAGE = "Dell BIOS 2.5.4".getBytes(StandardCharsets.UTF_8);
  private static final byte[] IDRAC_IMAGE = "Dell iDRAC 2.75".getBytes(StandardCharsets.UTF_8);

  private static FakeVendorTools vendor;
  private static String unavailable;
  private SimulatedHardware hw;
  private RedfishSimulator bmc;
  private HttpServer images;
  private final List<String> downloads = new CopyOnWriteArrayList<>();

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
  void setUp() throws IOException {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    hw = new SimulatedHardware();
    bmc = RedfishSimulator.start(Mockup.builtIn().withoutUpdateService(), hw.clock);
    images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    images.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          downloads.add(path);
          byte[] body =
              path.endsWith(BIOS_DUP) ? BIOS_IMAGE : path.endsWith(IDRAC_DUP) ? IDRAC_IMAGE : null;
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
  void tearDown() {
    if (images != null) {
      images.stop(0);
    }
    if (bmc != null) {
      bmc.close();
    }
    if (hw != null) {
      hw.close();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private DeviceCatalog catalog(String biosSha) throws Exception {
    String base = "http://127.0.0.1:" + images.getAddress().getPort() + "/dell/";
    return DeviceCatalog.parse(
        "dell-fw.yaml",
        """
        deviceTypes:
          r630:
            bios: {BootMode: Uefi}
            firmware:
              - {component: Bios, version: 2.5.4, image: %1$s%2$s, sha256: %3$s}
              - {component: iDRAC, version: 2.75.75.75, image: %1$s%4$s, sha256: %5$s}
            vendorTools: [racadm]
            methods: {power: [vendor_tools, redfish]}
        """
            .formatted(base, BIOS_DUP, biosSha, IDRAC_DUP, sha256(IDRAC_IMAGE)));
  }

  private Map<String, Object> inputs() {
    String id = hw.maas.addMachine("r630-node");
    hw.maas.assignIpAddress(id, FakeVendorTools.HOST);
    var in = hw.inputs(id);
    in.put("deviceType", "r630");
    in.put("bmcAddress", bmc.origin().replaceFirst("^https://", ""));
    in.put("bmcUsername", bmc.username());
    in.put("bmcPassword", bmc.password());
    in.put("firmwareFirst", true);
    vendor.sshInputs(in);
    return in;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> served(WorkflowResult result, String capability) {
    var methods = (Map<String, Object>) result.outputs().get("methods");
    assertThat(methods).as(result.toJson()).containsKey(capability);
    return (Map<String, Object>) methods.get(capability);
  }

  @Test
  @SuppressWarnings("unchecked")
  void racadmFlashesTheIdracThenTheBiosWhenRedfishHasNoUpdateService() throws Exception {
    vendor.racadm(Map.of("BiosBootSettings", List.of("BootMode=Uefi")));

    WorkflowResult result =
        hw.engine.run(
            HardwareWorkflows.serverProvisioning(hw.clients, catalog(sha256(BIOS_IMAGE))),
            inputs());

    assertThat(result.success()).as(result.message()).isTrue();
    assertThat(vendor.read("racadm/firmware"))
        .contains("Bios=2.5.4", "iDRAC=2.75.75.75", "Lifecycle Controller=2.40.40.40");
    assertThat(result.outputs().get("firmwareUpdates"))
        .isEqualTo(List.of("iDRAC 2.40.40.40 -> 2.75.75.75", "Bios 2.4.3 -> 2.5.4"));
    Map<String, Object> update = served(result, "firmware_update");
    assertThat(update.get("servedBy")).isEqualTo("vendor_tools");
    assertThat((Map<String, String>) update.get("skipped"))
        .containsOnlyKeys("redfish")
        .hasEntrySatisfying("redfish", r -> assertThat(r).contains("no UpdateService"));
    assertThat(served(result, "firmware_inventory").get("servedBy")).isEqualTo("vendor_tools");
    assertThat(bmc.requests()).noneMatch(r -> r.path().contains("UpdateService"));
    // verify-firmware-images, then each update's own download (checked again before the upload).
    assertThat(downloads).hasSize(4);
  }

  @Test
  void anImageThatNoLongerMatchesItsChecksumIsRefusedBeforeAnythingIsFlashed() throws Exception {
    vendor.racadm(Map.of("BiosBootSettings", List.of("BootMode=Uefi")));

    WorkflowResult result =
        hw.engine.run(
            HardwareWorkflows.serverProvisioning(hw.clients, catalog("0".repeat(64))), inputs());

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("verify-firmware-images");
    assertThat(vendor.read("racadm/firmware")).contains("Bios=2.4.3", "iDRAC=2.40.40.40");
  }
}
