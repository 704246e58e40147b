package dev.opsflow.hardware.maas.testing;

import static dev.opsflow.hardware.maas.testing.MaasResources.first;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A machine's NIC links as MAAS's {@code interfaces.py} and {@code InterfaceLinkForm} manage them:
 * {@code POST nodes/{id}/interfaces/{iid}/?op=link_subnet} ({@code mode} AUTO, DHCP, STATIC or
 * LINK_UP, {@code subnet} by id or CIDR, {@code ip_address} for STATIC, {@code force}) and {@code
 * op=unlink_subnet} ({@code id} of the link), only while the machine is New, Ready, Failed testing,
 * Allocated or Broken (409 with MAAS's message otherwise), with MAAS's form errors. A deployed
 * machine gets the addresses of its AUTO and STATIC links; MAAS refuses to deploy a machine without
 * a link to a subnet. Called under the simulator's lock.
 */
final class MaasNetworking {
  static final Pattern PATH = Pattern.compile("nodes/([a-z0-9]+)/interfaces/(\\d+)/");
  private static final List<String> MODES = List.of("auto", "dhcp", "static", "link_up");
  private static final Set<MaasStatus> EDITABLE =
      EnumSet.of(
          MaasStatus.NEW,
          MaasStatus.READY,
          MaasStatus.FAILED_TESTING,
          MaasStatus.ALLOCATED,
          MaasStatus.BROKEN);
  private static final Pattern IPV4 = Pattern.compile("10\\.20\\.(\\d{1,3})\\.(\\d{1,3})");

  /** A link of the NIC to the rack's one subnet: its mode and, for STATIC, its address. */
  record Link(int id, String mode, String ip) {}

  private MaasNetworking() {}

  /** The link every machine starts with: AUTO on the rack's subnet, as commissioning makes it. */
  static Link initial(SimulatedMachine m) {
    return new Link(300 + m.index, "auto", null);
  }

  static List<Object> linksJson(SimulatedMachine m) {
    var all = new ArrayList<Object>();
    for (Link l : m.links) {
      var j = new LinkedHashMap<String, Object>();
      j.put("id", l.id());
      j.put("mode", l.mode());
      if (!l.mode().equals("link_up")) {
        j.put("subnet", MaasJson.subnet());
      }
      String ip = address(m, l);
      if (ip != null) {
        j.put("ip_address", ip);
      }
      all.add(j);
    }
    return all;
  }

  /** The address a link has now: a STATIC one's always, an AUTO one's once deployed. */
  private static String address(SimulatedMachine m, Link l) {
    if (l.mode().equals("static")) {
      return l.ip();
    }
    return l.mode().equals("auto") && m.ipAddresses.contains(m.address()) ? m.address() : null;
  }

  /** The addresses a deployment gives the machine. */
  static List<String> deployedAddresses(SimulatedMachine m) {
    var ips = new ArrayList<String>();
    for (Link l : m.links) {
      if (l.mode().equals("auto") && !ips.contains(m.address())) {
        ips.add(m.address());
      } else if (l.mode().equals("static")) {
        ips.add(l.ip());
      }
    }
    return ips;
  }

  /** MAAS's {@code on_network()}: a link other than LINK_UP to a subnet. */
  static boolean onNetwork(SimulatedMachine m) {
    return m.links.stream().anyMatch(l -> !l.mode().equals("link_up"));
  }

  static Answer route(
      MaasSimulator sim,
      String method,
      String systemId,
      String id,
      String op,
      Map<String, List<String>> form) {
    SimulatedMachine m = sim.machines.get(systemId);
    if (m == null) {
      return MaasSimulator.text(404, "No Node matches the given query.");
    }
    if (!id.equals(String.valueOf(m.interfaceId()))) {
      return MaasSimulator.text(404, "No Interface matches the given query.");
    }
    if (method.equals("GET") && op.isEmpty()) {
      return MaasSimulator.json(MaasJson.nic(m));
    }
    if (!method.equals("POST")) {
      return method.equals("GET")
          ? MaasResources.unrecognised(method, op)
          : MaasResources.notAllowed(method);
    }
    String operation =
        switch (op) {
          case "link_subnet" -> "link subnet";
          case "unlink_subnet" -> "unlink subnet";
          default -> null;
        };
    if (operation == null) {
      return MaasResources.unrecognised(method, op);
    }
    if (!EDITABLE.contains(m.status)) {
      return MaasSimulator.text(
          409,
          "Cannot "
              + operation
              + " interface because the machine is not New, Ready, Allocated, or Broken.");
    }
    Answer invalid = op.equals("link_subnet") ? link(sim, m, form) : unlink(m, form);
    return invalid != null ? invalid : MaasSimulator.json(MaasJson.nic(m));
  }

  private static Answer link(
      MaasSimulator sim, SimulatedMachine m, Map<String, List<String>> form) {
    String modeText = first(form, "mode");
    if (modeText == null || modeText.isEmpty()) {
      return MaasSimulator.invalid("mode", "This field is required.");
    }
    String mode = modeText.toLowerCase(Locale.ROOT);
    if (!MODES.contains(mode)) {
      return MaasSimulator.invalid(
          "mode",
          "'"
              + modeText
              + "' is not a valid mode.  It should be one of: 'auto', 'dhcp', 'static',"
              + " 'link_up'.");
    }
    String subnet = first(form, "subnet");
    boolean hasSubnet = subnet != null && !subnet.isEmpty();
    if (hasSubnet && !subnet.equals("1") && !subnet.equals(MaasJson.CIDR)) {
      return MaasSimulator.invalid(
          "subnet", "Select a valid choice. That choice is not one of the available choices.");
    }
    boolean force = "true".equalsIgnoreCase(first(form, "force"));
    String ip = first(form, "ip_address");
    switch (mode) {
      case "auto", "static" -> {
        if (!hasSubnet) {
          return MaasSimulator.invalid("subnet", "This field is required.");
        }
        if (mode.equals("static") && ip != null && !ip.isEmpty()) {
          var a = IPV4.matcher(ip);
          if (!a.matches()
              || Integer.parseInt(a.group(1)) > 255
              || Integer.parseInt(a.group(2)) > 255) {
            return MaasSimulator.invalid(
                "ip_address", "IP address is not in the given subnet '" + MaasJson.CIDR + "'.");
          }
          boolean taken =
              sim.machines.values().stream()
                  .anyMatch(
                      o ->
                          o.links.stream().anyMatch(l -> ip.equals(l.ip()))
                              || o.ipAddresses.contains(ip));
          if (taken) {
            return MaasSimulator.invalid("ip_address", "IP address " + ip + " is already in use.");
          }
        }
      }
      case "dhcp" -> {
        if (m.links.stream().anyMatch(l -> l.mode().equals("dhcp"))) {
          return MaasSimulator.invalid(
              "mode", "Interface is already set to DHCP from '" + MaasJson.CIDR + "'.");
        }
      }
      default -> {
        if (!force && m.links.stream().anyMatch(l -> !l.mode().equals("link_up"))) {
          return MaasSimulator.invalid(
              "mode",
              "Cannot configure interface to link up (with no IP address) while other links are"
                  + " already configured. Specify force=True to override this behavior and"
                  + " delete all links.");
        }
      }
    }
    if (mode.equals("link_up") || force) {
      m.links.clear();
    }
    String address = null;
    if (mode.equals("static")) {
      address = ip != null && !ip.isEmpty() ? ip : "10.20.200." + (10 + m.index % 240);
    }
    m.links.add(new Link(sim.nextStorageId++, mode, address));
    return null;
  }

  private static Answer unlink(SimulatedMachine m, Map<String, List<String>> form) {
    String id = first(form, "id");
    if (id == null || id.isEmpty()) {
      return MaasSimulator.invalid("id", "This field is required.");
    }
    boolean removed = m.links.removeIf(l -> String.valueOf(l.id()).equals(id));
    if (!removed) {
      return MaasSimulator.invalid(
          "id",
          "'"
              + id
              + "' is not a valid id.  It should be one of: "
              + String.join(", ", m.links.stream().map(l -> "'" + l.id() + "'").toList())
              + ".");
    }
    return null;
  }
}
