package dev.opsflow.hardware.maas.testing;

import static dev.opsflow.hardware.maas.testing.MaasResources.first;

import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code devices/} endpoints of the {@link MaasSimulator} (non-deployable nodes MAAS tracks,
 * such as switches): list, create with {@code hostname} and {@code mac_addresses}, read, update,
 * delete. Called under its lock.
 */
final class MaasDevices {
  private static final Pattern ONE = Pattern.compile("devices/([a-z0-9]+)/");
  private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}");

  private MaasDevices() {}

  static Answer route(
      MaasSimulator sim, String method, String rest, String op, Map<String, List<String>> form) {
    if (rest.equals("devices/")) {
      if (method.equals("GET") && op.isEmpty()) {
        List<String> ids = form.getOrDefault("id", List.of());
        List<String> hostnames = form.getOrDefault("hostname", List.of());
        var all = new ArrayList<Object>();
        sim.devices.values().stream()
            .filter(d -> ids.isEmpty() || ids.contains((String) d.get("system_id")))
            .filter(d -> hostnames.isEmpty() || hostnames.contains((String) d.get("hostname")))
            .forEach(all::add);
        return MaasSimulator.json(all);
      }
      return method.equals("POST") && op.isEmpty()
          ? create(sim, form)
          : MaasResources.unrecognised(method, op);
    }
    Matcher m = ONE.matcher(rest);
    if (!m.matches()) {
      return MaasSimulator.text(404, "Unknown API endpoint: " + MaasJson.ROOT + rest + ".");
    }
    Map<String, Object> device = sim.devices.get(m.group(1));
    if (device == null) {
      return MaasSimulator.text(404, "No Device matches the given query.");
    }
    switch (method) {
      case "GET" -> {
        return op.isEmpty() ? MaasSimulator.json(device) : MaasResources.unrecognised(method, op);
      }
      case "PUT" -> {
        String hostname = first(form, "hostname");
        if (hostname != null) {
          if (!hostname.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")) {
            return MaasSimulator.invalid("hostname", "Invalid hostname: " + hostname);
          }
          device.put("hostname", hostname);
          device.put("fqdn", hostname + ".maas");
        }
        String description = first(form, "description");
        if (description != null) {
          device.put("description", description);
        }
        return MaasSimulator.json(device);
      }
      case "DELETE" -> {
        sim.devices.remove(m.group(1));
        return new Answer(204, "text/plain", new byte[0], Map.of());
      }
      default -> {
        return MaasResources.notAllowed(method);
      }
    }
  }

  private static Answer create(MaasSimulator sim, Map<String, List<String>> form) {
    List<String> macs = form.getOrDefault("mac_addresses", List.of());
    if (macs.isEmpty()) {
      return MaasSimulator.invalid("mac_addresses", "This field is required.");
    }
    for (String mac : macs) {
      if (!MAC.matcher(mac).matches()) {
        return MaasSimulator.invalid("mac_addresses", "'" + mac + "' is not a valid MAC address.");
      }
    }
    int index = sim.nextIndex++;
    String id = "dev" + Integer.toString(1000 + index, 36);
    String hostname = first(form, "hostname");
    if (hostname == null || hostname.isBlank()) {
      hostname = "device-" + index;
    }
    var d = new LinkedHashMap<String, Object>();
    d.put("system_id", id);
    d.put("hostname", hostname);
    d.put("description", first(form, "description") == null ? "" : first(form, "description"));
    d.put("domain", MaasJson.domain());
    d.put("fqdn", hostname + ".maas");
    d.put("owner", sim.user());
    d.put("owner_data", Map.of());
    d.put("parent", first(form, "parent"));
    d.put("tag_names", List.of());
    d.put("address_ttl", null);
    d.put("ip_addresses", List.of());
    var nics = new ArrayList<Object>();
    for (int i = 0; i < macs.size(); i++) {
      var nic = new LinkedHashMap<String, Object>();
      nic.put("system_id", id);
      nic.put("id", 5000 + index * 10 + i);
      nic.put("name", "eth" + i);
      nic.put("type", "physical");
      nic.put("vlan", MaasJson.vlan());
      nic.put("mac_address", macs.get(i).toLowerCase().replace('-', ':'));
      nic.put("parents", List.of());
      nic.put("children", List.of());
      nic.put("tags", List.of());
      nic.put("enabled", true);
      nic.put("links", List.of());
      nic.put("params", "");
      nic.put("discovered", null);
      nic.put("effective_mtu", 1500);
      nic.put("vendor", null);
      nic.put("product", null);
      nic.put("firmware_version", null);
      nic.put("link_connected", true);
      nic.put("interface_speed", 0);
      nic.put("link_speed", 0);
      nic.put("numa_node", null);
      nic.put("sriov_max_vf", 0);
      nic.put("resource_uri", MaasJson.ROOT + "nodes/" + id + "/interfaces/" + nic.get("id") + "/");
      nics.add(nic);
    }
    d.put("interface_set", nics);
    d.put("zone", sim.zoneJson("default"));
    d.put("node_type", 1);
    d.put("node_type_name", "Device");
    d.put("workload_annotations", Map.of());
    d.put("resource_uri", MaasJson.ROOT + "devices/" + id + "/");
    sim.devices.put(id, d);
    return MaasSimulator.json(d);
  }
}
