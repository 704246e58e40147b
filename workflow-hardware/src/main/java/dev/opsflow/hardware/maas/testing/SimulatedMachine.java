package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.MaasStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One machine of the {@link MaasSimulator}: its status moves along a planned timeline that starts
 * when an operation starts, and is advanced lazily from the clock at each request. Guarded by the
 * simulator's lock.
 */
final class SimulatedMachine {
  /** A status reached at an offset from the operation's start. */
  private record Milestone(Duration at, MaasStatus status, String message) {}

  final String systemId;
  final String hostname;
  final String mac;
  final int index;
  MaasStatus status = MaasStatus.NEW;
  String statusMessage = "";
  String powerState = "off";
  String owner;
  String osystem = "";
  String distroSeries = "";
  final TreeSet<String> tags = new TreeSet<>();
  final List<String> ipAddresses = new ArrayList<>();

  /** The address MAAS observes while the machine is on outside a deployment (its DHCP lease). */
  String observedAddress;

  String failCommissioning;
  String failTesting;
  String failDeployment;
  private Instant startedAt;
  private final List<Milestone> plan = new ArrayList<>();

  SimulatedMachine(String systemId, String hostname, int index) {
    this.systemId = systemId;
    this.hostname = hostname;
    this.index = index;
    this.mac =
        String.format(
            "52:54:00:%02x:%02x:%02x", (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
  }

  /** Applies every milestone that is due at {@code now}. */
  void advance(Instant now) {
    while (!plan.isEmpty() && !now.isBefore(startedAt.plus(plan.get(0).at()))) {
      Milestone next = plan.remove(0);
      status = next.status();
      statusMessage = next.message();
      if (status == MaasStatus.READY) {
        powerState = "off";
      }
      if (status == MaasStatus.DEPLOYED) {
        ipAddresses.clear();
        ipAddresses.add(address());
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
    plan.add(new Milestone(at, next, message));
  }

  void stop() {
    plan.clear();
  }

  String address() {
    return "10.20." + (index / 250) + "." + (10 + index % 250);
  }

  Map<String, Object> toJson(String apiRoot) {
    var m = new LinkedHashMap<String, Object>();
    m.put("system_id", systemId);
    m.put("hostname", hostname);
    m.put("fqdn", hostname + ".maas");
    m.put("domain", Map.of("id", 0, "name", "maas"));
    m.put("zone", Map.of("id", 1, "name", "default"));
    m.put("pool", Map.of("id", 0, "name", "default"));
    m.put("status", status.code());
    m.put("status_name", status.displayName());
    m.put("status_message", statusMessage);
    m.put("power_state", powerState);
    m.put("power_type", "ipmi");
    m.put("ip_addresses", List.copyOf(ipAddresses));
    m.put("tag_names", List.copyOf(tags));
    m.put("owner", owner);
    m.put("owner_data", Map.of());
    m.put("osystem", osystem);
    m.put("distro_series", distroSeries);
    m.put("architecture", "amd64/generic");
    m.put("memory", 65536);
    m.put("cpu_count", 16);
    m.put("hardware_info", Map.of("system_vendor", "Opsflow", "system_product", "Simulated"));
    var disk = Map.of("id", index, "name", "sda", "size", 960197124096L, "model", "SIMDISK");
    m.put("physicalblockdevice_set", List.of(disk));
    m.put("blockdevice_set", List.of(disk));
    Map<String, Object> nic = nic();
    m.put("interface_set", List.of(nic));
    m.put("boot_interface", nic);
    m.put("resource_uri", apiRoot + "machines/" + systemId + "/");
    return m;
  }

  Map<String, Object> nic() {
    var link = new LinkedHashMap<String, Object>();
    link.put("id", index);
    link.put("mode", "auto");
    link.put("subnet", Map.of("name", "10.20.0.0/16", "cidr", "10.20.0.0/16"));
    if (!ipAddresses.isEmpty()) {
      link.put("ip_address", ipAddresses.get(0));
    }
    var nic = new LinkedHashMap<String, Object>();
    nic.put("id", index);
    nic.put("name", "eth0");
    nic.put("type", "physical");
    nic.put("mac_address", mac);
    nic.put("enabled", true);
    nic.put("links", List.of(link));
    return nic;
  }
}
