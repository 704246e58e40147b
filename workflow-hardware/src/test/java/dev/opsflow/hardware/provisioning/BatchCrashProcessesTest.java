package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches of {@code commission-server} in child JVMs on one file store, against MAAS and BMC
 * simulators that live in this JVM (the hardware outlives the host that drives it). A child is
 * killed with SIGKILL in the middle of its batch and a new JVM runs the batch again: every step the
 * journal shows completed is not done again (no second commissioning, no second PATCH of the BMC's
 * network), every server keeps the BMC address reserved for it, and no address is handed out twice.
 * Two children running two batches at once on one range of exactly enough addresses hand out
 * disjoint addresses. The simulators run on the real clock with 1 ms phases, since the children's
 * engines cannot share a manual clock.
 */
class BatchCrashProcessesTest {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(120);
  private static final String NIC = "/redfish/v1/Managers/BMC/EthernetInterfaces/eth0";

  @TempDir Path dir;
  private MaasSimulator maas;
  private final Map<String, RedfishSimulator> bmcOf = new LinkedHashMap<>();
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void start() {
    Duration phase = Duration.ofMillis(1);
    maas = MaasSimulator.start(Clock.systemUTC()).withTimings(phase, phase, phase, phase);
  }

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    bmcOf.values().forEach(RedfishSimulator::close);
    if (maas != null) {
      maas.close();
    }
  }

  /** {@code count} machines with a BMC each, as an inventory CSV; answers the spec file. */
  private Path batch(String name, int count, String range, String gateway) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    var csv = new StringBuilder(String.join(",", ServerInventory.COLUMNS) + "\n");
    String pem = null;
    for (int i = 0; i < count; i++) {
      String id = maas.addMachine(name + "-" + i);
      var bmc = RedfishSimulator.start(Mockup.builtIn(), Clock.systemUTC());
      bmcOf.put(id, bmc);
      assertThat(pem == null || pem.equals(bmc.certificatePem()))
          .as("the simulators share one certificate")
          .isTrue();
      pem = bmc.certificatePem();
      Files.writeString(home.resolve("pw-" + id), bmc.password().reveal());
      csv.append(
          String.join(
                  ",",
                  id,
                  SimulatedHardware.DEVICE_TYPE,
                  bmc.origin().replaceFirst("^https://", ""),
                  bmc.username(),
                  "@file:pw-" + id)
              + "\n");
    }
    Files.writeString(home.resolve("servers.csv"), csv);
    Files.writeString(home.resolve("bmc.pem"), pem);
    Files.writeString(home.resolve("maas.key"), maas.apiKey().reveal());
    return home;
  }

  private Path spec(
      Path home, Path store, String batchId, String range, String gateway, String owner)
      throws IOException {
    Path file = home.resolve(owner + ".properties");
    var lines =
        List.of(
            "store=" + store,
            "batchId=" + batchId,
            "csv=" + home.resolve("servers.csv"),
            "maasUrl=" + maas.baseUri(),
            "maasKeyFile=" + home.resolve("maas.key"),
            "range=" + range,
            "gateway=" + gateway,
            "netmask=255.255.255.0",
            "pem=" + home.resolve("bmc.pem"),
            "owner=" + owner);
    Files.write(file, lines);
    return file;
  }

  private Process child(Path spec, String name) throws IOException {
    var command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            BatchProcessChild.class.getName(),
            spec.toString());
    Process p =
        new ProcessBuilder(command)
            .redirectError(dir.resolve(name + "-stderr.txt").toFile())
            .start();
    children.add(p);
    return p;
  }

  /** Reads {@code child}'s output until {@code done} says stop; answers the lines read. */
  private List<String> read(Process child, java.util.function.Predicate<List<String>> done)
      throws Exception {
    var lines = new ArrayList<String>();
    var reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Void> reading =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                    if (done.test(lines)) {
                      return;
                    }
                  }
                }
              } catch (IOException e) {
                // The child died: the caller checks what was read.
              }
            });
    reading.get(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private String stderr(String name) throws IOException {
    return Files.readString(dir.resolve(name + "-stderr.txt"));
  }

  private int finish(Process child, String name) throws Exception {
    List<String> out = read(child, l -> false);
    assertThat(child.waitFor(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("exit of %s; stderr:%n%s", name, stderr(name)).isZero();
    return out.stream()
        .filter(l -> l.startsWith("RESULT "))
        .map(l -> Integer.parseInt(l.substring(7)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " printed no RESULT: " + out));
  }

  private static Map<String, RunRecord> runsBySystem(FileExecutionStore store) {
    var runs = new HashMap<String, RunRecord>();
    for (RunRecord summary : store.query(RunQuery.all())) {
      RunRecord run = store.find(summary.runId()).orElseThrow();
      runs.put(String.valueOf(run.inputs().get("systemId")), run);
    }
    return runs;
  }

  private static Set<String> completedSteps(RunRecord run) {
    return run == null
        ? Set.of()
        : run.steps().stream()
            .filter(o -> o.status() == StepStatus.COMPLETED)
            .map(StepOutcome::name)
            .collect(Collectors.toSet());
  }

  private long commissions(String id) {
    return maas.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().contains("/machines/" + id + "/"))
        .filter(r -> r.query().equals("op=commission"))
        .count();
  }

  private long networkPatches(String id) {
    return bmcOf.get(id).requests().stream()
        .filter(r -> r.method().equals("PATCH") && r.path().startsWith(NIC))
        .count();
  }

  private long bmcMutations(String id) {
    return bmcOf.get(id).requests().stream().filter(SimulatedHardware::mutating).count();
  }

  private String staticAddress(String id) {
    return bmcOf
        .get(id)
        .resource(NIC)
        .path("IPv4StaticAddresses")
        .path(0)
        .path("Address")
        .asString("");
  }

  private Map<String, String> reserved(FileExecutionStore store, String range, String gateway) {
    var pool = BmcAddressPool.of(range, gateway, "255.255.255.0", store.reservations().get());
    var out = new LinkedHashMap<String, String>();
    bmcOf.keySet().forEach(id -> pool.addressOf(id).ifPresent(a -> out.put(id, a)));
    return out;
  }

  @Test
  void aBatchKilledMidWayResumesInANewJvmWithoutRepeatingCompletedStepsOrAddresses()
      throws Exception {
    String range = "192.168.50.100-192.168.50.120";
    String gateway = "192.168.50.1";
    Path home = batch("rack", 8, range, gateway);
    Path storeDir = dir.resolve("store");

    Process first = child(spec(home, storeDir, "rack-8", range, gateway, "host-a"), "host-a");
    // Killed once the 4th server's run started: with 2 at a time, 2 or more are done by then.
    read(first, l -> l.stream().filter(s -> s.startsWith("STARTED ")).count() >= 4);
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue())
        .as("killed by SIGKILL; stderr:%n%s", stderr("host-a"))
        .isEqualTo(137);

    FileExecutionStore store = FileExecutionStore.open(storeDir);
    Map<String, RunRecord> left = runsBySystem(store);
    long done = left.values().stream().filter(r -> r.state() == RunState.COMPLETED).count();
    assertThat(done).as("runs completed before the kill").isGreaterThanOrEqualTo(2).isLessThan(8);
    Map<String, String> addresses = reserved(store, range, gateway);
    assertThat(addresses).hasSize(8);
    assertThat(new HashSet<>(addresses.values())).hasSize(8);
    var commissionsBefore = new HashMap<String, Long>();
    var patchesBefore = new HashMap<String, Long>();
    var mutationsBefore = new HashMap<String, Long>();
    for (String id : bmcOf.keySet()) {
      commissionsBefore.put(id, commissions(id));
      patchesBefore.put(id, networkPatches(id));
      mutationsBefore.put(id, bmcMutations(id));
    }

    Process second = child(spec(home, storeDir, "rack-8", range, gateway, "host-b"), "host-b");
    assertThat(finish(second, "host-b")).isEqualTo(8);

    Map<String, RunRecord> after = runsBySystem(FileExecutionStore.open(storeDir));
    assertThat(after.values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.COMPLETED));
    assertThat(reserved(FileExecutionStore.open(storeDir), range, gateway)).isEqualTo(addresses);
    for (String id : bmcOf.keySet()) {
      Set<String> journaled = completedSteps(left.get(id));
      if (journaled.contains("commission") || journaled.contains("await-commissioned")) {
        assertThat(commissions(id))
            .as("commissionings of %s", id)
            .isEqualTo(commissionsBefore.get(id));
      }
      if (journaled.contains("configure-bmc-network")) {
        assertThat(networkPatches(id))
            .as("BMC network PATCHes of %s", id)
            .isEqualTo(patchesBefore.get(id));
      }
      if (left.get(id) != null && left.get(id).state() == RunState.COMPLETED) {
        assertThat(bmcMutations(id)).as("BMC changes of %s", id).isEqualTo(mutationsBefore.get(id));
      }
      assertThat(commissions(id)).as("commissionings of %s in all", id).isEqualTo(1);
      assertThat(staticAddress(id)).as("BMC address of %s", id).isEqualTo(addresses.get(id));
    }
  }

  @Test
  void twoBatchesInTwoJvmsOnOneStoreNeverHandOutOneAddressTwice() throws Exception {
    // Exactly 12 addresses for 12 servers: an address given twice leaves some server without one.
    String range = "192.168.60.10-192.168.60.21";
    String gateway = "192.168.60.1";
    Path storeDir = dir.resolve("shared-store");
    Path west = batch("west", 6, range, gateway);
    Path east = batch("east", 6, range, gateway);

    Process a = child(spec(west, storeDir, "west", range, gateway, "host-west"), "host-west");
    Process b = child(spec(east, storeDir, "east", range, gateway, "host-east"), "host-east");
    assertThat(finish(a, "host-west")).isEqualTo(6);
    assertThat(finish(b, "host-east")).isEqualTo(6);

    Map<String, String> addresses = reserved(FileExecutionStore.open(storeDir), range, gateway);
    assertThat(addresses).hasSize(12);
    assertThat(new HashSet<>(addresses.values())).hasSize(12);
    bmcOf.forEach(
        (id, bmc) ->
            assertThat(staticAddress(id)).as("BMC of %s", id).isEqualTo(addresses.get(id)));
  }
}
