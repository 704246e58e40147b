package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.ipmi.IpmiClient;
import dev.opsflow.hardware.ipmi.IpmiSettings;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchRun;
import dev.opsflow.workflow.batch.ItemState;
import dev.opsflow.workflow.peers.IpmiSimPeer;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rack of 50 mixed servers through one batch of server-provisioning, on a file store: 44 with a
 * Redfish BIOS, 4 Dell R630s whose Redfish has no BIOS (racadm over real OpenSSH serves it, one
 * fake machine per loopback address), 1 whose BMC network only IPMI sets (ipmi_sim), 3 that fail
 * commissioning; each with its own BMC password from a CSV inventory. Then a restart on the same
 * store hands out the same addresses and repeats nothing that completed, and a second batch on the
 * same range at the same time gets other addresses. MAAS and the BMCs are simulators on one manual
 * clock: the hours of commissioning take no time.
 */
class MixedRackBatchTest {
  private static final List<String> DELL_HOSTS =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
  private static final String RANGE = "192.168.1.100-192.168.1.199";

  @TempDir Path dir;

  private SimulatedHardware hw;
  private FakeVendorTools vendor;
  private IpmiSimPeer ipmi;
  private final List<RedfishSimulator> bmcs = new ArrayList<>();
  private final Map<String, RedfishSimulator> bmcOf = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final Set<String> failing = new HashSet<>();
  private String ipmiOnly;
  private final List<String> dell = new ArrayList<>();

  private final DeviceCatalog catalog =
      DeviceCatalog.parse(
          "rack.yaml",
          """
          deviceTypes:
            a1.c5.large:
              bios: {BootMode: Uefi, ProcVirtualization: Enabled, PowerProfile: MaxPerformance}
            r630:
              bios: {BootMode: Uefi, ProcVirtualization: Enabled}
              vendorTools: [racadm]
              methods: {power: [vendor_tools, redfish]}
          """);

  @BeforeEach
  void start() {
    try {
      vendor = FakeVendorTools.start(DELL_HOSTS);
      ipmi = IpmiSimPeer.start();
    } catch (org.opentest4j.TestAbortedException missing) {
      Assumptions.abort(missing.getMessage());
    }
    hw = new SimulatedHardware();
  }

  @AfterEach
  void stop() {
    bmcs.forEach(RedfishSimulator::close);
    if (hw != null) {
      hw.close();
    }
    if (vendor != null) {
      vendor.close();
    }
    if (ipmi != null) {
      ipmi.close();
    }
  }

  /** {@code count} servers in CSV, the kinds mixed as the class says, the first at {@code from}. */
  private String rack(int count, String prefix) {
    var csv = new StringBuilder(String.join(",", ServerInventory.COLUMNS) + "\n");
    for (int i = 0; i < count; i++) {
      Mockup mockup = Mockup.builtIn();
      String type = "a1.c5.large";
      String address = "127.0.0.1";
      String id = hw.maas.addMachine(prefix + i);
      if (prefix.equals("node") && i >= 10 && i < 10 + DELL_HOSTS.size()) {
        mockup = Mockup.builtIn().withoutBios();
        type = "r630";
        address = DELL_HOSTS.get(i - 10);
        vendor.racadm(
            address,
            Map.of(
                "BiosBootSettings", List.of("BootMode=Bios"),
                "ProcSettings", List.of("LogicalProc=Enabled", "ProcVirtualization=Disabled")));
        dell.add(id);
      } else if (prefix.equals("node") && i == 20) {
        mockup = Mockup.builtIn().withoutManagerNetwork();
        ipmiOnly = id;
      } else if (prefix.equals("node") && (i == 30 || i == 31 || i == 32)) {
        hw.maas.failCommissioning(id, "PXE boot failed: no DHCP offer");
        failing.add(id);
      }
      hw.maas.assignIpAddress(id, address);
      var bmc = RedfishSimulator.start(mockup, hw.clock);
      bmcs.add(bmc);
      bmcOf.put(id, bmc);
      env.put("PW_" + id, bmc.password().reveal());
      csv.append(
          String.join(
                  ",",
                  id,
                  type,
                  bmc.origin().replaceFirst("^https://", ""),
                  bmc.username(),
                  "@env:PW_" + id)
              + "\n");
    }
    return csv.toString();
  }

  private HardwareClients clients() {
    return hw.clients.withIpmi(
        s ->
            s.withHost(ipmi.host())
                .withCredentials(ipmi.username(), Secret.of(ipmi.password()))
                .withTimeout(Duration.ofSeconds(20)));
  }

  private Map<String, Object> common() {
    var in = new LinkedHashMap<String, Object>();
    in.put("maasUrl", hw.maas.baseUri());
    in.put("maasApiKey", hw.maas.apiKey());
    in.put("ipmiPort", ipmi.port());
    in.put("tags", "provisioned,rack-50");
    vendor.sshInputs(in);
    return in;
  }

  private WorkflowEngine engine(FileExecutionStore store, ServerInventory inventory) {
    return WorkflowEngine.builder()
        .clock(hw.clock)
        .sleeper(hw.clock)
        .store(store)
        .secretResolver(inventory.secretResolver(store, SecretResolver.none()))
        .build();
  }

  private BatchCommissioning batch(ServerInventory inventory, String batchId) {
    return BatchCommissioning.of(inventory.servers())
        .withBmcNetwork(RANGE, "192.168.1.1", "255.255.255.0")
        .withInputs(common())
        .withOptions(
            BatchOptions.defaults()
                .withBatchId(batchId)
                .withMaxParallel(8)
                .withContinueOnError(true)
                .withMaxFailedPercentage(50)
                .withRunOptions(RunOptions.defaults().withRollback(true)));
  }

  private static long mutations(RedfishSimulator bmc) {
    return bmc.requests().stream().filter(SimulatedHardware::mutating).count();
  }

  @Test
  void fiftyMixedServersThenARestartThenASecondBatchOnTheSameRange() {
    ServerInventory inventory = ServerInventory.parse("rack.csv", rack(50, "node"), env::get, null);
    // A machine outside the batch already uses .105: it is skipped, and the skip is reported.
    String legacy = hw.maas.addReadyMachine("legacy-db");
    hw.maas.assignIpAddress(legacy, "192.168.1.105");
    Workflow workflow = HardwareWorkflows.serverProvisioning(clients(), catalog);
    Path storeDir = dir.resolve("runs");

    BatchResult first;
    Map<String, String> addresses;
    try (var engine = engine(FileExecutionStore.open(storeDir), inventory)) {
      first = batch(inventory, "rack-50").run(engine, workflow, hw.maasClient());
      addresses =
          batch(inventory, "rack-50")
              .plan(hw.maasClient(), FileExecutionStore.open(storeDir).reservations().get())
              .assignments();
    }

    assertThat(first.items(ItemState.SUCCEEDED)).hasSize(47);
    assertThat(first.items(ItemState.FAILED))
        .extracting(BatchResult.Item::key)
        .containsExactlyInAnyOrderElementsOf(failing);
    for (String id : dell) {
      var result = first.item(id).orElseThrow().result();
      @SuppressWarnings("unchecked")
      var methods = (Map<String, Map<String, Object>>) result.outputs().get("methods");
      assertThat(methods.get("read_bios").get("servedBy")).isEqualTo("vendor_tools");
      String host = DELL_HOSTS.get(dell.indexOf(id));
      assertThat(vendor.read(host, "racadm/current/ProcSettings"))
          .contains("ProcVirtualization=Enabled");
    }
    @SuppressWarnings("unchecked")
    var ipmiMethods =
        (Map<String, Map<String, Object>>)
            first.item(ipmiOnly).orElseThrow().result().outputs().get("methods");
    assertThat(ipmiMethods.get("bmc_network").get("servedBy")).isEqualTo("ipmi");
    var lan =
        IpmiClient.create(
                IpmiSettings.of(ipmi.host(), ipmi.username(), Secret.of(ipmi.password()))
                    .withPort(ipmi.port())
                    .withTimeout(Duration.ofSeconds(20)))
            .lanPrint(1);
    assertThat(lan.ipAddress()).isEqualTo(addresses.get(ipmiOnly));
    assertThat(new HashSet<>(addresses.values())).hasSize(50).doesNotContain("192.168.1.105");
    // Failed servers were rolled back: their addresses went back to the pool...
    // ...and a later plan reserves them again, so all 50 appear above.

    // A restart: a new engine on the reopened store runs the same batch again.
    Map<String, Long> before = new HashMap<>();
    bmcOf.forEach((id, bmc) -> before.put(id, mutations(bmc)));
    long commissionsBefore =
        hw.maas.requests().stream().filter(r -> r.query().equals("op=commission")).count();
    BatchResult again;
    try (var engine = engine(FileExecutionStore.open(storeDir), inventory)) {
      BatchCommissioning.Plan plan =
          batch(inventory, "rack-50").plan(hw.maasClient(), engine.store().reservations().get());
      assertThat(plan.assignments()).isEqualTo(addresses);
      again = batch(inventory, "rack-50").run(engine, workflow, hw.maasClient());
    }
    assertThat(again.items(ItemState.SUCCEEDED)).hasSize(47);
    bmcOf.forEach(
        (id, bmc) -> {
          if (!failing.contains(id)) {
            assertThat(mutations(bmc))
                .as("BMC of %s after the restart", id)
                .isEqualTo(before.get(id));
          }
        });
    long commissionsAfter =
        hw.maas.requests().stream().filter(r -> r.query().equals("op=commission")).count();
    assertThat(commissionsAfter - commissionsBefore).isLessThanOrEqualTo(failing.size());

    // A second batch at the same time as a third, on the same range and store.
    ServerInventory other = ServerInventory.parse("more.csv", rack(6, "extra"), env::get, null);
    ServerInventory third = ServerInventory.parse("third.csv", rack(6, "third"), env::get, null);
    try (var a = engine(FileExecutionStore.open(storeDir), other);
        var b = engine(FileExecutionStore.open(storeDir), third)) {
      BatchRun runA = batch(other, "rack-extra").start(a, workflow, hw.maasClient());
      BatchRun runB = batch(third, "rack-third").start(b, workflow, hw.maasClient());
      assertThat(runA.await().items(ItemState.SUCCEEDED)).hasSize(6);
      assertThat(runB.await().items(ItemState.SUCCEEDED)).hasSize(6);
    }
    var pool =
        BmcAddressPool.of(
            RANGE,
            "192.168.1.1",
            "255.255.255.0",
            FileExecutionStore.open(storeDir).reservations().get());
    var all = new HashSet<String>();
    for (var s : List.of(inventory, other, third)) {
      for (var server : s.servers()) {
        pool.addressOf(server.systemId()).ifPresent(all::add);
      }
    }
    assertThat(all).hasSize(50 + 12);
  }
}
