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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code machines/} endpoints of the {@link MaasSimulator}; called under its lock. */
final class MaasRoutes {
  private static final Pattern MACHINE = Pattern.compile("machines/([a-z0-9]+)/");
  private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}");
  private static final List<String> SERIES = List.of("focal", "jammy", "noble");
  private static final List<String> ARCHITECTURES =
      List.of("amd64/generic", "arm64/generic", "ppc64el/generic", "s390x/generic");
  private static final Set<String> POWER_TYPES =
      Set.of("ipmi", "redfish", "manual", "virsh", "lxd", "amt", "webhook");

  private MaasRoutes() {}

  static Answer route(
      MaasSimulator sim, String method, String rest, String op, Map<String, List<String>> form) {
    if (rest.equals("machines/")) {
      return MaasMachineOps.collection(sim, method, op, form);
    }
    Matcher m = MACHINE.matcher(rest);
    if (!m.matches()) {
      return MaasSimulator.text(404, "Unknown API endpoint: " + MaasJson.ROOT + rest + ".");
    }
    SimulatedMachine machine = sim.machines.get(m.group(1));
    if (machine == null) {
      return MaasSimulator.text(404, "No Machine matches the given query.");
    }
    return switch (method) {
      case "GET" -> read(sim, machine, op);
      case "PUT" ->
          op.isEmpty() ? update(sim, machine, form) : MaasResources.unrecognised(method, op);
      case "DELETE" -> {
        if (!op.isEmpty()) {
          yield MaasResources.unrecognised(method, op);
        }
        if (machine.locked) {
          yield MaasSimulator.text(
              403, "Cannot delete machine " + machine.systemId + ": it is locked.");
        }
        sim.machines.remove(machine.systemId);
        yield new Answer(204, "text/plain", new byte[0], Map.of());
      }
      case "POST" -> MaasMachineOps.operation(sim, machine, op, form);
      default -> MaasResources.notAllowed(method);
    };
  }

  private static Answer read(MaasSimulator sim, SimulatedMachine x, String op) {
    return switch (op) {
      case "" -> MaasSimulator.json(MaasJson.machine(x, sim));
      case "query_power_state" -> MaasSimulator.json(Map.of("state", x.powerState));
      case "power_parameters" -> MaasSimulator.json(x.powerParameters);
      case "details" -> new Answer(200, "application/bson", MaasBson.details(x), Map.of());
      default -> MaasResources.unrecognised("GET", op);
    };
  }

  /** PUT machines/{id}/: the editable fields, each validated before anything changes. */
  private static Answer update(
      MaasSimulator sim, SimulatedMachine x, Map<String, List<String>> form) {
    Answer invalid = validate(sim, form, false);
    if (invalid != null) {
      return invalid;
    }
    if (x.locked) {
      return MaasSimulator.text(403, "Cannot update machine " + x.systemId + ": it is locked.");
    }
    apply(sim, x, form);
    return MaasSimulator.json(MaasJson.machine(x, sim));
  }

  /** The errors of a create or update form, or null. */
  static Answer validate(MaasSimulator sim, Map<String, List<String>> form, boolean creating) {
    String hostname = first(form, "hostname");
    if (hostname != null && !HOSTNAME.matcher(hostname).matches()) {
      return MaasSimulator.invalid(
          "hostname",
          "Invalid hostname: '" + hostname + "'; expected lower-case letters, digits and '-'.");
    }
    if (hostname != null
        && sim.machines.values().stream().anyMatch(m -> m.hostname.equals(hostname))
        && creating) {
      return MaasSimulator.invalid(
          "hostname", "Node with this Hostname already exists: '" + hostname + "'.");
    }
    String arch = first(form, "architecture");
    if (creating && arch == null) {
      return MaasSimulator.invalid("architecture", "This field is required.");
    }
    if (arch != null
        && !ARCHITECTURES.contains(arch)
        && !ARCHITECTURES.contains(arch + "/generic")) {
      return MaasSimulator.invalid(
          "architecture",
          "'"
              + arch
              + "' is not a valid architecture.  It should be one of: "
              + String.join(", ", ARCHITECTURES)
              + ".");
    }
    List<String> macs = form.getOrDefault("mac_addresses", List.of());
    if (creating && macs.isEmpty()) {
      return MaasSimulator.invalid("mac_addresses", "This field is required.");
    }
    for (String mac : macs) {
      if (!MAC.matcher(mac).matches()) {
        return MaasSimulator.invalid("mac_addresses", "'" + mac + "' is not a valid MAC address.");
      }
    }
    String power = first(form, "power_type");
    if (power != null && !POWER_TYPES.contains(power)) {
      return MaasSimulator.invalid(
          "power_type",
          "Select a valid choice. " + power + " is not one of the available choices.");
    }
    String zone = first(form, "zone");
    if (zone != null && !sim.zones.containsKey(zone)) {
      return MaasSimulator.invalid(
          "zone", "Select a valid choice. That choice is not one of the available choices.");
    }
    String pool = first(form, "pool");
    if (pool != null
        && sim.pools.entrySet().stream().noneMatch(p -> p.getValue()[0].equals(pool))) {
      return MaasSimulator.invalid(
          "pool", "Select a valid choice. That choice is not one of the available choices.");
    }
    for (String number : List.of("cpu_count", "memory")) {
      String value = first(form, number);
      if (value != null && !value.matches("\\d+")) {
        return MaasSimulator.invalid(number, "Enter a whole number; was '" + value + "'.");
      }
    }
    return null;
  }

  static void apply(MaasSimulator sim, SimulatedMachine x, Map<String, List<String>> form) {
    form.forEach(
        (name, values) -> {
          String value = values.get(0);
          switch (name) {
            case "hostname" -> x.hostname = value;
            case "description" -> x.description = value;
            case "architecture" ->
                x.architecture = value.contains("/") ? value : value + "/generic";
            case "zone" -> x.zone = value;
            case "pool" ->
                x.pool =
                    sim.pools.entrySet().stream()
                        .filter(p -> p.getValue()[0].equals(value))
                        .findFirst()
                        .orElseThrow()
                        .getKey();
            case "power_type" -> x.powerType = value;
            case "cpu_count" -> x.cpuCount = Integer.parseInt(value);
            case "memory" -> x.memory = Long.parseLong(value);
            default -> {
              if (name.startsWith("power_parameters_")) {
                x.powerParameters.put(name.substring("power_parameters_".length()), value);
              }
            }
          }
        });
  }

  /** The machines that match every filter of a {@code GET machines/} query. */
  static List<Object> list(MaasSimulator sim, Map<String, List<String>> query) {
    List<Predicate<SimulatedMachine>> filters = new ArrayList<>();
    filter(query, "id", filters, (m, v) -> m.systemId.equals(v));
    filter(
        query,
        "hostname",
        filters,
        (m, v) -> m.hostname.equals(v) || (m.hostname + ".maas").equals(v));
    filter(query, "mac_address", filters, (m, v) -> m.mac.equalsIgnoreCase(v.replace('-', ':')));
    filter(query, "domain", filters, (m, v) -> v.equals("maas"));
    filter(query, "zone", filters, (m, v) -> m.zone.equals(v));
    filter(query, "pool", filters, (m, v) -> sim.poolJson(m.pool).get("name").equals(v));
    filter(
        query,
        "arch",
        filters,
        (m, v) -> m.architecture.equals(v) || m.architecture.startsWith(v + "/"));
    filter(query, "tags", filters, (m, v) -> m.tags.contains(v));
    filter(query, "owner", filters, (m, v) -> v.equals(m.owner));
    filter(
        query,
        "status",
        filters,
        (m, v) ->
            m.status.name().toLowerCase(Locale.ROOT).replace("_", "-").equals(v)
                || m.status.name().toLowerCase(Locale.ROOT).equals(v));
    var all = new ArrayList<Object>();
    sim.machines.values().stream()
        .filter(m -> filters.stream().allMatch(f -> f.test(m)))
        .forEach(m -> all.add(MaasJson.machine(m, sim)));
    return all;
  }

  /** A filter given several times matches any of its values; different filters all must match. */
  private static void filter(
      Map<String, List<String>> query,
      String name,
      List<Predicate<SimulatedMachine>> filters,
      java.util.function.BiPredicate<SimulatedMachine, String> test) {
    List<String> values = query.get(name);
    if (values != null && !values.isEmpty()) {
      filters.add(m -> values.stream().anyMatch(v -> test.test(m, v)));
    }
  }

  static Answer conflict(SimulatedMachine x, String what) {
    return MaasSimulator.text(
        409,
        "Machine "
            + x.systemId
            + " cannot be "
            + what
            + " in its current state ('"
            + x.status.displayName()
            + "').");
  }

  static Set<MaasStatus> releasable() {
    return EnumSet.of(
        MaasStatus.ALLOCATED,
        MaasStatus.DEPLOYED,
        MaasStatus.DEPLOYING,
        MaasStatus.FAILED_DEPLOYMENT,
        MaasStatus.BROKEN);
  }

  static List<String> series() {
    return SERIES;
  }

  static Map<String, Object> powerParameters(MaasSimulator sim, List<String> ids) {
    var all = new LinkedHashMap<String, Object>();
    sim.machines.values().stream()
        .filter(m -> ids.isEmpty() || ids.contains(m.systemId))
        .forEach(m -> all.put(m.systemId, m.powerParameters));
    return all;
  }
}
