package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.MaasStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One machine of the {@link MaasSimulator}: its status moves along a planned timeline that starts
 * when an operation starts, and is advanced lazily from the clock at each request. Its JSON ({@link
 * MaasJson#machine}) carries every field of MAAS's {@code DISPLAYED_MACHINE_FIELDS}. Guarded by the
 * simulator's lock.
 */
final class SimulatedMachine {
  /** A status reached at an offset from the operation's start. */
  record Milestone(Duration at, int status, String message) {}

  final String systemId;
  String hostname;
  final String mac;
  final int index;
  MaasStatus status = MaasStatus.NEW;
  String statusMessage = "";
  String powerState = "off";
  String powerType = "ipmi";
  final Map<String, String> powerParameters = new TreeMap<>();
  String owner;
  final Map<String, String> ownerData = new TreeMap<>();
  String osystem = "";
  String distroSeries = "";
  String hweKernel;
  String description = "";
  String zone = "default";
  int pool;
  String architecture = "amd64/generic";
  int cpuCount = 16;
  long memory = 65536;
  boolean netboot = true;
  boolean locked;
  boolean commissioned;
  final TreeSet<String> tags = new TreeSet<>();
  final List<String> ipAddresses = new ArrayList<>();

  /** The NIC's links ({@link MaasNetworking}). */
  final List<MaasNetworking.Link> links = new ArrayList<>();

  /** The disks, partitions and filesystems ({@link MaasStorage}). */
  final MaasStorage storage;

  /** The address MAAS observes while the machine is on outside a deployment (its DHCP lease). */
  String observedAddress;

  String failCommissioning;
  String failTesting;
  String failDeployment;
  Instant startedAt;
  final List<Milestone> plan = new ArrayList<>();

  SimulatedMachine(String systemId, String hostname, int index) {
    this.systemId = systemId;
    this.hostname = hostname;
    this.index = index;
    this.mac =
        String.format(
            "52:54:00:%02x:%02x:%02x", (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
    powerParameters.put("power_address", "10.30.0." + (10 + index % 240));
    powerParameters.put("power_user", "maas");
    powerParameters.put("power_pass", "ipmi-" + systemId);
    powerParameters.put("power_driver", "LAN_2_0");
    links.add(MaasNetworking.initial(this));
    storage = new MaasStorage(this);
  }

  /** Applies every milestone that is due at {@code now}. */
  void advance(Instant now) {
    while (!plan.isEmpty() && !now.isBefore(startedAt.plus(plan.get(0).at()))) {
      Milestone next = plan.remove(0);
      MaasStatus before = status;
      status = MaasStatus.fromCode(next.status()).orElseThrow();
      if (status == MaasStatus.READY && before == MaasStatus.TESTING) {
        // Commissioning ends by applying MAAS's default storage layout.
        storage.applyDefaultLayout(this);
      }
      statusMessage = next.message();
      if (status == MaasStatus.TESTING || status == MaasStatus.READY) {
        commissioned = true;
      }
      if (status == MaasStatus.READY) {
        powerState = "off";
      }
      if (status == MaasStatus.DEPLOYED) {
        ipAddresses.clear();
        ipAddresses.addAll(MaasNetworking.deployedAddresses(this));
        // A deployed machine boots from its disk, not the network.
        netboot = false;
      }
    }
  }

  /** Starts an operation: the status now, then the milestones at their offsets. */
  void start(Instant now, MaasStatus first, String message) {
    plan.clear();
    startedAt = now;
    status = first;
    statusMessage = message;
  }

  void then(Duration at, MaasStatus next, String message) {
    plan.add(new Milestone(at, next.code(), message));
  }

  void stop() {
    plan.clear();
  }

  /** Back to Ready without an owner or an operating system, as a release leaves it. */
  void released() {
    owner = null;
    ownerData.clear();
    osystem = "";
    distroSeries = "";
    hweKernel = null;
    netboot = true;
    ipAddresses.clear();
  }

  String address() {
    return "10.20." + (index / 250) + "." + (10 + index % 250);
  }

  int interfaceId() {
    return 100 + index;
  }

  int diskId() {
    return 200 + index;
  }

  long diskSize() {
    return 960197124096L;
  }

  /** The test-script status of the machine's commissioning: -1 unknown, 1 running, 2 passed. */
  int testStatus() {
    if (status == MaasStatus.COMMISSIONING || status == MaasStatus.TESTING) {
      return 1;
    }
    if (status == MaasStatus.FAILED_COMMISSIONING || status == MaasStatus.FAILED_TESTING) {
      return 3;
    }
    return commissioned ? 2 : -1;
  }
}
