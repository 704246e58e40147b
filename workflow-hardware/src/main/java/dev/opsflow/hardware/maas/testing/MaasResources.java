package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link MaasSimulator}'s endpoints other than machines: the anonymous {@code version/} and
 * {@code describe/}, users, zones, resource pools, domains, fabrics, VLANs, subnets, spaces,
 * devices, tags, and a node's interfaces and block devices. Routes machines to {@link MaasRoutes}.
 * Called under the simulator's lock.
 */
final class MaasResources {
  private static final Pattern ONE = Pattern.compile("([a-z-]+)/([^/]+)/");
  private static final Pattern NODE_PART =
      Pattern.compile("nodes/([a-z0-9]+)/(interfaces|blockdevices)/(?:(\\d+)/)?");
  private static final Pattern VLANS = Pattern.compile("fabrics/(\\d+)/vlans/(?:(\\d+)/)?");

  private MaasResources() {}

  static boolean isAnonymous(String path) {
    return path.equals("/MAAS/api/version/")
        || path.equals(MaasJson.ROOT + "version/")
        || path.equals(MaasJson.ROOT + "describe/");
  }

  static Answer anonymous(MaasSimulator sim, String path) {
    if (path.endsWith("describe/")) {
      return MaasSimulator.json(MaasDescribe.describe(sim));
    }
    var version = new LinkedHashMap<String, Object>();
    version.put(
        "capabilities",
        List.of(
            "networks-management",
            "static-ipaddresses",
            "ipv6-deployment-ubuntu",
            "devices-management",
            "storage-deployment-ubuntu",
            "network-deployment-ubuntu",
            "bridging-interface-ubuntu",
            "bridging-automatic-ubuntu",
            "authenticate-api"));
    version.put("version", "3.4.2");
    version.put("subversion", "opsflow-simulator");
    return MaasSimulator.json(version);
  }

  static Answer route(
      MaasSimulator sim, String method, String rest, String op, Map<String, List<String>> form) {
    if (rest.equals("machines/") || rest.startsWith("machines/")) {
      return MaasRoutes.route(sim, method, rest, op, form);
    }
    if (rest.equals("tags/") || rest.startsWith("tags/")) {
      return MaasTags.route(sim, method, rest, op, form);
    }
    if (rest.equals("devices/") || rest.startsWith("devices/")) {
      return MaasDevices.route(sim, method, rest, op, form);
    }
    Matcher m = MaasStorageRoutes.PATH.matcher(rest);
    if (m.matches()) {
      return MaasStorageRoutes.route(sim, method, m, op, form);
    }
    m = MaasNetworking.PATH.matcher(rest);
    if (m.matches()) {
      return MaasNetworking.route(sim, method, m.group(1), m.group(2), op, form);
    }
    m = NODE_PART.matcher(rest);
    if (m.matches()) {
      return nodePart(sim, method, m.group(1), m.group(2), m.group(3));
    }
    m = VLANS.matcher(rest);
    if (m.matches()) {
      if (!method.equals("GET")) {
        return notAllowed(method);
      }
      if (!m.group(1).equals("0")) {
        return MaasSimulator.text(404, "No Fabric matches the given query.");
      }
      return m.group(2) == null
          ? MaasSimulator.json(List.of(MaasJson.vlan()))
          : m.group(2).equals("0")
              ? MaasSimulator.json(MaasJson.vlan())
              : MaasSimulator.text(404, "No VLAN matches the given query.");
    }
    if (rest.equals("users/")) {
      if (op.equals("whoami") && method.equals("GET")) {
        return MaasSimulator.json(MaasJson.user(sim.user(), "admin@example.com", true));
      }
      if (op.isEmpty() && method.equals("GET")) {
        return MaasSimulator.json(List.of(MaasJson.user(sim.user(), "admin@example.com", true)));
      }
      return unrecognised(method, op);
    }
    if (rest.equals("zones/")) {
      return zones(sim, method, form);
    }
    if (rest.equals("resourcepools/")) {
      return pools(sim, method, form);
    }
    Map<String, Object> listed =
        switch (rest) {
          case "domains/" -> Map.of("", List.of(MaasJson.domain()));
          case "fabrics/" -> Map.of("", List.of(MaasJson.fabric()));
          case "subnets/" -> Map.of("", List.of(MaasJson.subnet()));
          case "spaces/" -> Map.of("", List.of(MaasJson.space()));
          default -> null;
        };
    if (listed != null) {
      return method.equals("GET") && op.isEmpty()
          ? MaasSimulator.json(listed.get(""))
          : method.equals("GET") ? unrecognised(method, op) : notAllowed(method);
    }
    m = ONE.matcher(rest);
    if (m.matches()) {
      return one(sim, method, m.group(1), m.group(2), form);
    }
    return MaasSimulator.text(404, "Unknown API endpoint: " + MaasJson.ROOT + rest + ".");
  }

  private static Answer one(
      MaasSimulator sim, String method, String kind, String id, Map<String, List<String>> form) {
    if (kind.equals("zones")) {
      if (!sim.zones.containsKey(id)) {
        return MaasSimulator.text(404, "No Zone matches the given query.");
      }
      switch (method) {
        case "GET" -> {
          return MaasSimulator.json(sim.zoneJson(id));
        }
        case "PUT" -> {
          String description = first(form, "description");
          if (description != null) {
            sim.zones.put(id, description);
          }
          return MaasSimulator.json(sim.zoneJson(id));
        }
        case "DELETE" -> {
          if (id.equals("default")) {
            return MaasSimulator.text(400, "This zone is the default zone, it cannot be deleted.");
          }
          sim.zones.remove(id);
          return new Answer(204, "text/plain", new byte[0], Map.of());
        }
        default -> {
          return notAllowed(method);
        }
      }
    }
    if (kind.equals("resourcepool")) {
      Integer key =
          sim.pools.keySet().stream()
              .filter(k -> String.valueOf(k).equals(id) || sim.pools.get(k)[0].equals(id))
              .findFirst()
              .orElse(null);
      if (key == null) {
        return MaasSimulator.text(404, "No ResourcePool matches the given query.");
      }
      return method.equals("GET") ? MaasSimulator.json(sim.poolJson(key)) : notAllowed(method);
    }
    Object found =
        switch (kind) {
          case "domains" -> id.equals("0") || id.equals("maas") ? MaasJson.domain() : null;
          case "fabrics" -> id.equals("0") ? MaasJson.fabric() : null;
          case "vlans" -> id.equals("5001") ? MaasJson.vlan() : null;
          case "subnets" -> id.equals("1") || id.equals(MaasJson.CIDR) ? MaasJson.subnet() : null;
          case "spaces" -> id.equals("1") || id.equals("management") ? MaasJson.space() : null;
          case "users" ->
              id.equals(sim.user()) ? MaasJson.user(sim.user(), "admin@example.com", true) : null;
          default -> "unknown";
        };
    if ("unknown".equals(found)) {
      return MaasSimulator.text(
          404, "Unknown API endpoint: " + MaasJson.ROOT + kind + "/" + id + "/.");
    }
    if (found == null) {
      return MaasSimulator.text(404, "No " + modelName(kind) + " matches the given query.");
    }
    return method.equals("GET") ? MaasSimulator.json(found) : notAllowed(method);
  }

  private static String modelName(String kind) {
    return switch (kind) {
      case "domains" -> "Domain";
      case "fabrics" -> "Fabric";
      case "vlans" -> "VLAN";
      case "subnets" -> "Subnet";
      case "spaces" -> "Space";
      default -> "User";
    };
  }

  private static Answer zones(MaasSimulator sim, String method, Map<String, List<String>> form) {
    if (method.equals("GET")) {
      var all = new ArrayList<Object>();
      sim.zones.keySet().forEach(z -> all.add(sim.zoneJson(z)));
      return MaasSimulator.json(all);
    }
    if (!method.equals("POST")) {
      return notAllowed(method);
    }
    String name = first(form, "name");
    if (name == null || name.isBlank()) {
      return MaasSimulator.invalid("name", "This field is required.");
    }
    if (!name.matches("[a-zA-Z0-9_-]+")) {
      return MaasSimulator.invalid(
          "name", "Enter a valid name: letters, digits, '-' and '_' only; was '" + name + "'.");
    }
    if (sim.zones.containsKey(name)) {
      return MaasSimulator.invalid("name", "Physical zone with this Name already exists.");
    }
    String description = first(form, "description");
    sim.zones.put(name, description == null ? "" : description);
    return MaasSimulator.json(sim.zoneJson(name));
  }

  private static Answer pools(MaasSimulator sim, String method, Map<String, List<String>> form) {
    if (method.equals("GET")) {
      var all = new ArrayList<Object>();
      sim.pools.keySet().forEach(p -> all.add(sim.poolJson(p)));
      return MaasSimulator.json(all);
    }
    if (!method.equals("POST")) {
      return notAllowed(method);
    }
    String name = first(form, "name");
    if (name == null || name.isBlank()) {
      return MaasSimulator.invalid("name", "This field is required.");
    }
    if (sim.pools.values().stream().anyMatch(p -> p[0].equals(name))) {
      return MaasSimulator.invalid("name", "Resource pool with this Name already exists.");
    }
    int id = sim.pools.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    String description = first(form, "description");
    sim.pools.put(id, new String[] {name, description == null ? "" : description});
    return MaasSimulator.json(sim.poolJson(id));
  }

  private static Answer nodePart(
      MaasSimulator sim, String method, String systemId, String part, String id) {
    SimulatedMachine machine = sim.machines.get(systemId);
    if (machine == null) {
      return MaasSimulator.text(404, "No Node matches the given query.");
    }
    if (!method.equals("GET")) {
      return notAllowed(method);
    }
    boolean nics = part.equals("interfaces");
    Map<String, Object> only = nics ? MaasJson.nic(machine) : machine.storage.bootDiskJson(machine);
    if (id == null) {
      return MaasSimulator.json(List.of(only));
    }
    int wanted = nics ? machine.interfaceId() : machine.diskId();
    return id.equals(String.valueOf(wanted))
        ? MaasSimulator.json(only)
        : MaasSimulator.text(
            404, "No " + (nics ? "Interface" : "BlockDevice") + " matches the given query.");
  }

  static Answer unrecognised(String method, String op) {
    return MaasSimulator.text(400, "Unrecognised signature: method=" + method + " op=" + op);
  }

  static Answer notAllowed(String method) {
    return new Answer(
        405,
        "text/plain; charset=utf-8",
        ("Method Not Allowed: " + method).getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of());
  }

  static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
