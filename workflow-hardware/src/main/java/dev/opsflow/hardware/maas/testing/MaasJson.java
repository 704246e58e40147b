package dev.opsflow.hardware.maas.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON of the {@link MaasSimulator}'s objects, field for field as MAAS 3.x renders them (the
 * {@code DISPLAYED_*_FIELDS} of its API handlers: machine, interface, block device, zone, resource
 * pool, domain, fabric, VLAN, subnet, space, user). The simulated rack has one fabric, one untagged
 * VLAN, one space and one subnet, {@code 10.20.0.0/16}. Called under the simulator's lock.
 */
final class MaasJson {
  static final String ROOT = "/MAAS/api/2.0/";
  static final String CIDR = "10.20.0.0/16";

  private MaasJson() {}

  static Map<String, Object> domain() {
    var d = new LinkedHashMap<String, Object>();
    d.put("authoritative", true);
    d.put("ttl", null);
    d.put("id", 0);
    d.put("name", "maas");
    d.put("is_default", true);
    d.put("resource_record_count", 0);
    d.put("resource_uri", ROOT + "domains/0/");
    return d;
  }

  static Map<String, Object> zone(int id, String name, String description) {
    var z = new LinkedHashMap<String, Object>();
    z.put("name", name);
    z.put("description", description);
    z.put("id", id);
    z.put("resource_uri", ROOT + "zones/" + name + "/");
    return z;
  }

  static Map<String, Object> pool(int id, String name, String description) {
    var p = new LinkedHashMap<String, Object>();
    p.put("name", name);
    p.put("description", description);
    p.put("id", id);
    p.put("resource_uri", ROOT + "resourcepool/" + id + "/");
    return p;
  }

  static Map<String, Object> vlan() {
    var v = new LinkedHashMap<String, Object>();
    v.put("vid", 0);
    v.put("mtu", 1500);
    v.put("dhcp_on", true);
    v.put("external_dhcp", null);
    v.put("relay_vlan", null);
    v.put("fabric", "fabric-0");
    v.put("space", "management");
    v.put("primary_rack", "rack01");
    v.put("secondary_rack", null);
    v.put("name", "untagged");
    v.put("fabric_id", 0);
    v.put("id", 5001);
    v.put("resource_uri", ROOT + "vlans/5001/");
    return v;
  }

  static Map<String, Object> fabric() {
    var f = new LinkedHashMap<String, Object>();
    f.put("class_type", null);
    f.put("name", "fabric-0");
    f.put("id", 0);
    f.put("vlans", List.of(vlan()));
    f.put("resource_uri", ROOT + "fabrics/0/");
    return f;
  }

  static Map<String, Object> subnet() {
    var s = new LinkedHashMap<String, Object>();
    s.put("name", CIDR);
    s.put("description", "");
    s.put("vlan", vlan());
    s.put("cidr", CIDR);
    s.put("rdns_mode", 2);
    s.put("gateway_ip", "10.20.0.1");
    s.put("dns_servers", List.of());
    s.put("allow_dns", true);
    s.put("allow_proxy", true);
    s.put("active_discovery", false);
    s.put("managed", true);
    s.put("disabled_boot_architectures", List.of());
    s.put("id", 1);
    s.put("space", "management");
    s.put("resource_uri", ROOT + "subnets/1/");
    return s;
  }

  static Map<String, Object> space() {
    var s = new LinkedHashMap<String, Object>();
    s.put("id", 1);
    s.put("name", "management");
    s.put("description", "");
    s.put("vlans", List.of(vlan()));
    s.put("subnets", List.of(subnet()));
    s.put("resource_uri", ROOT + "spaces/1/");
    return s;
  }

  static Map<String, Object> user(String name, String email, boolean superuser) {
    var u = new LinkedHashMap<String, Object>();
    u.put("is_superuser", superuser);
    u.put("username", name);
    u.put("email", email);
    u.put("is_local", true);
    u.put("resource_uri", ROOT + "users/" + name + "/");
    return u;
  }

  static Map<String, Object> nic(SimulatedMachine m) {
    var nic = new LinkedHashMap<String, Object>();
    nic.put("system_id", m.systemId);
    nic.put("id", m.interfaceId());
    nic.put("name", "eth0");
    nic.put("type", "physical");
    nic.put("vlan", vlan());
    nic.put("mac_address", m.mac);
    nic.put("parents", List.of());
    nic.put("children", List.of());
    nic.put("tags", List.of());
    nic.put("enabled", true);
    nic.put("links", MaasNetworking.linksJson(m));
    nic.put("params", "");
    nic.put("discovered", discovered(m));
    nic.put("effective_mtu", 1500);
    nic.put("vendor", "Intel Corporation");
    nic.put("product", "Ethernet Controller X710 for 10GbE SFP+");
    nic.put("firmware_version", "8.30");
    nic.put("link_connected", true);
    nic.put("interface_speed", 10000);
    nic.put("link_speed", 10000);
    nic.put("numa_node", 0);
    nic.put("sriov_max_vf", 0);
    nic.put("resource_uri", ROOT + "nodes/" + m.systemId + "/interfaces/" + m.interfaceId() + "/");
    return nic;
  }

  private static List<Object> discovered(SimulatedMachine m) {
    if (m.observedAddress == null || !m.ipAddresses.contains(m.observedAddress)) {
      return null;
    }
    return List.of(Map.of("ip_address", m.observedAddress, "subnet", subnet()));
  }

  static Map<String, Object> machine(SimulatedMachine m, MaasSimulator sim) {
    var j = new LinkedHashMap<String, Object>();
    j.put("system_id", m.systemId);
    j.put("hostname", m.hostname);
    j.put("description", m.description);
    j.put("hardware_uuid", UUID.nameUUIDFromBytes(m.systemId.getBytes()).toString());
    j.put("domain", domain());
    j.put("fqdn", m.hostname + ".maas");
    j.put("owner", m.owner);
    j.put("owner_data", Map.copyOf(m.ownerData));
    j.put("locked", m.locked);
    j.put("cache_sets", List.of());
    j.put("bcaches", List.of());
    j.put("bios_boot_method", "uefi");
    Map<String, Object> nic = nic(m);
    j.put("boot_interface", nic);
    j.put("architecture", m.architecture);
    j.put("min_hwe_kernel", "");
    j.put("hwe_kernel", m.hweKernel);
    j.put("cpu_count", m.cpuCount);
    j.put("cpu_speed", 2400);
    j.put("memory", m.memory);
    j.put("swap_size", null);
    j.put("storage", m.storage.disks.stream().mapToLong(d -> d.size).sum() / 1_000_000.0);
    j.put("status", m.status.code());
    j.put("osystem", m.osystem);
    j.put("distro_series", m.distroSeries);
    j.put("ephemeral_deploy", false);
    j.put("error_description", "");
    j.put("netboot", m.netboot);
    j.put("power_type", m.powerType);
    j.put("power_state", m.powerState);
    j.put("tag_names", List.copyOf(m.tags));
    j.put("address_ttl", null);
    j.put("ip_addresses", List.copyOf(m.ipAddresses));
    j.put("interface_set", List.of(nic));
    j.put("zone", sim.zoneJson(m.zone));
    j.put("pool", sim.poolJson(m.pool));
    j.put("disable_ipv4", false);
    j.put("boot_disk", m.storage.bootDiskJson(m));
    j.put("blockdevice_set", m.storage.disksJson(m));
    j.put("physicalblockdevice_set", m.storage.disksJson(m));
    j.put("virtualblockdevice_set", List.of());
    j.put("volume_groups", List.of());
    j.put("raids", List.of());
    j.put("status_action", "");
    j.put("status_message", m.statusMessage);
    j.put("status_name", m.status.displayName());
    j.put("node_type", 0);
    j.put("node_type_name", "Machine");
    j.put("special_filesystems", List.of());
    j.put("parent", null);
    j.put("pod", null);
    var gateways = new LinkedHashMap<String, Object>();
    boolean up = !m.ipAddresses.isEmpty();
    gateways.put("ipv4", gateway(up ? "10.20.0.1" : null, up ? 300 + m.index : null));
    gateways.put("ipv6", gateway(null, null));
    j.put("default_gateways", gateways);
    j.put("current_commissioning_result_id", m.commissioned ? 1000 + m.index : null);
    j.put("current_testing_result_id", m.commissioned ? 2000 + m.index : null);
    j.put("current_installation_result_id", m.osystem.isEmpty() ? null : 3000 + m.index);
    int tests = m.testStatus();
    for (String kind :
        List.of(
            "commissioning",
            "testing",
            "cpu_test",
            "memory_test",
            "network_test",
            "storage_test",
            "other_test",
            "interface_test")) {
      boolean fromScripts =
          kind.equals("commissioning") || kind.equals("testing") || kind.equals("storage_test");
      int value = fromScripts ? tests : -1;
      j.put(kind + "_status", value);
      j.put(kind + "_status_name", testName(value));
    }
    j.put("hardware_info", hardwareInfo(m));
    var numa = new LinkedHashMap<String, Object>();
    numa.put("index", 0);
    var cores = new ArrayList<Integer>();
    for (int i = 0; i < m.cpuCount; i++) {
      cores.add(i);
    }
    numa.put("cores", cores);
    numa.put("memory", m.memory);
    numa.put("hugepages_set", List.of());
    j.put("numanode_set", List.of(numa));
    j.put("virtualmachine_id", null);
    j.put("workload_annotations", Map.of());
    j.put("last_sync", null);
    j.put("sync_interval", null);
    j.put("next_sync", null);
    j.put("enable_hw_sync", false);
    j.put("resource_uri", ROOT + "machines/" + m.systemId + "/");
    return j;
  }

  private static Map<String, Object> gateway(String ip, Integer link) {
    var g = new LinkedHashMap<String, Object>();
    g.put("gateway_ip", ip);
    g.put("link_id", link);
    return g;
  }

  private static String testName(int status) {
    return switch (status) {
      case 0 -> "Pending";
      case 1 -> "Running";
      case 2 -> "Passed";
      case 3 -> "Failed";
      default -> "Unknown";
    };
  }

  private static Map<String, String> hardwareInfo(SimulatedMachine m) {
    var h = new LinkedHashMap<String, String>();
    boolean known = m.commissioned;
    h.put("system_vendor", known ? "Opsflow" : "Unknown");
    h.put("system_product", known ? "Sim-1U" : "Unknown");
    h.put("system_family", known ? "Rack" : "Unknown");
    h.put("system_version", known ? "1.0" : "Unknown");
    h.put("system_sku", known ? "SIM1U" : "Unknown");
    h.put("system_serial", known ? "SIM" + String.format("%06d", m.index) : "Unknown");
    h.put("cpu_model", known ? "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz" : "Unknown");
    h.put("mainboard_vendor", known ? "Opsflow" : "Unknown");
    h.put("mainboard_product", known ? "SIM-MB" : "Unknown");
    h.put("mainboard_serial", known ? "MB" + String.format("%06d", m.index) : "Unknown");
    h.put("mainboard_version", known ? "1.0" : "Unknown");
    h.put("mainboard_firmware_vendor", known ? "Opsflow" : "Unknown");
    h.put("mainboard_firmware_date", known ? "03/14/2024" : "Unknown");
    h.put("mainboard_firmware_version", known ? "2.1.4" : "Unknown");
    h.put("chassis_vendor", known ? "Opsflow" : "Unknown");
    h.put("chassis_type", known ? "Rack Mount Chassis" : "Unknown");
    h.put("chassis_serial", known ? "CH" + String.format("%06d", m.index) : "Unknown");
    h.put("chassis_version", known ? "1.0" : "Unknown");
    return h;
  }
}
