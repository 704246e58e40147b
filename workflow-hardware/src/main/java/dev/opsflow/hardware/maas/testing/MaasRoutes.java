package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The MAAS endpoints of the {@link MaasSimulator}; called under its lock. */
final class MaasRoutes {
  private static final Pattern MACHINE = Pattern.compile("machines/([a-z0-9]+)/");
  private static final Pattern INTERFACES = Pattern.compile("nodes/([a-z0-9]+)/interfaces/");
  private static final Pattern TAG = Pattern.compile("tags/([A-Za-z0-9_-]+)/");
  private static final Set<MaasStatus> COMMISSIONABLE =
      EnumSet.of(
          MaasStatus.NEW,
          MaasStatus.READY,
          MaasStatus.FAILED_COMMISSIONING,
          MaasStatus.FAILED_TESTING,
          MaasStatus.BROKEN);

  private MaasRoutes() {}

  static Answer route(
      MaasSimulator sim, String method, String rest, String op, Map<String, List<String>> form) {
    if (rest.equals("version/") && method.equals("GET")) {
      return MaasSimulator.json(
          Map.of(
              "capabilities",
              List.of(
                  "networks-management",
                  "static-ipaddresses",
                  "ipv6-deployment-ubuntu",
                  "devices-management",
                  "storage-deployment-ubuntu",
                  "network-deployment-ubuntu"),
              "version",
              "3.4.2",
              "subversion",
              "opsflow-simulator"));
    }
    if (rest.equals("users/") && op.equals("whoami")) {
      return MaasSimulator.json(
          Map.of("username", sim.user(), "email", "admin@example.com", "is_superuser", true));
    }
    if (rest.equals("machines/")) {
      return collection(sim, method, op, form);
    }
    if (rest.equals("tags/")) {
      return tags(sim, method, form);
    }
    Matcher m = MACHINE.matcher(rest);
    if (m.matches()) {
      SimulatedMachine machine = sim.machines().get(m.group(1));
      if (machine == null) {
        return MaasSimulator.text(404, "No Machine matches the given query.");
      }
      return machine(sim, machine, method, op, form);
    }
    m = INTERFACES.matcher(rest);
    if (m.matches() && method.equals("GET")) {
      SimulatedMachine machine = sim.machines().get(m.group(1));
      return machine == null
          ? MaasSimulator.text(404, "No Node matches the given query.")
          : MaasSimulator.json(List.of(machine.nic()));
    }
    m = TAG.matcher(rest);
    if (m.matches() && method.equals("POST") && op.equals("update_nodes")) {
      return updateTag(sim, m.group(1), form);
    }
    return MaasSimulator.text(404, "Not Found");
  }

  private static Answer collection(
      MaasSimulator sim, String method, String op, Map<String, List<String>> form) {
    String root = "/MAAS/api/2.0/";
    if (method.equals("GET") && op.isEmpty()) {
      var all = new ArrayList<Object>();
      sim.machines().values().forEach(x -> all.add(x.toJson(root)));
      return MaasSimulator.json(all);
    }
    if (method.equals("POST") && op.equals("allocate")) {
      for (SimulatedMachine x : sim.machines().values()) {
        if (x.status == MaasStatus.READY && matches(x, form)) {
          x.status = MaasStatus.ALLOCATED;
          x.owner = sim.user();
          return MaasSimulator.json(x.toJson(root));
        }
      }
      return MaasSimulator.text(409, "No available machine matches constraints: " + form.keySet());
    }
    if (method.equals("POST") && op.equals("release")) {
      for (String id : form.getOrDefault("machines", List.of())) {
        SimulatedMachine x = sim.machines().get(id);
        if (x == null) {
          return MaasSimulator.text(400, "Unknown machine(s): " + id);
        }
        release(sim, x);
      }
      return MaasSimulator.json(form.getOrDefault("machines", List.of()));
    }
    return MaasSimulator.text(400, "Unrecognised signature: method=" + method + " op=" + op);
  }

  private static boolean matches(SimulatedMachine x, Map<String, List<String>> form) {
    String id = first(form, "system_id");
    String name = first(form, "name");
    List<String> wanted = form.getOrDefault("tags", List.of());
    return (id == null || id.equals(x.systemId))
        && (name == null || name.equals(x.hostname))
        && x.tags.containsAll(wanted);
  }

  private static Answer machine(
      MaasSimulator sim,
      SimulatedMachine x,
      String method,
      String op,
      Map<String, List<String>> form) {
    String root = "/MAAS/api/2.0/";
    Instant now = sim.clock().instant();
    Duration[] t = sim.timings();
    if (method.equals("GET")) {
      if (op.equals("query_power_state")) {
        return MaasSimulator.json(Map.of("state", x.powerState));
      }
      return op.isEmpty()
          ? MaasSimulator.json(x.toJson(root))
          : MaasSimulator.text(400, "Unrecognised signature: method=GET op=" + op);
    }
    if (!method.equals("POST")) {
      return MaasSimulator.text(405, "Method not allowed");
    }
    switch (op) {
      case "commission" -> {
        if (!COMMISSIONABLE.contains(x.status)) {
          return conflict(x, "commissioned");
        }
        x.powerState = "on";
        x.ipAddresses.clear();
        if (x.observedAddress != null) {
          x.ipAddresses.add(x.observedAddress);
        }
        x.start(now, MaasStatus.COMMISSIONING, "Commissioning");
        if (x.failCommissioning != null) {
          x.then(t[0], MaasStatus.FAILED_COMMISSIONING, x.failCommissioning);
        } else {
          x.then(t[0], MaasStatus.TESTING, "Running test scripts");
          x.then(
              t[0].plus(t[1]),
              x.failTesting != null ? MaasStatus.FAILED_TESTING : MaasStatus.READY,
              x.failTesting != null ? x.failTesting : "Ready");
        }
      }
      case "deploy" -> {
        if (x.status != MaasStatus.ALLOCATED) {
          return conflict(x, "deployed: it is not allocated");
        }
        if (!sim.user().equals(x.owner)) {
          return MaasSimulator.text(
              403,
              "Machine " + x.systemId + " is allocated to " + x.owner + ", not to " + sim.user());
        }
        if (sim.ipAddressesExhausted()) {
          return MaasSimulator.text(503, "No more IP addresses available in subnet 10.20.0.0/16.");
        }
        x.osystem = "ubuntu";
        x.distroSeries =
            first(form, "distro_series") == null ? "jammy" : first(form, "distro_series");
        x.powerState = "on";
        x.start(now, MaasStatus.DEPLOYING, "Deploying");
        x.then(
            t[2],
            x.failDeployment != null ? MaasStatus.FAILED_DEPLOYMENT : MaasStatus.DEPLOYED,
            x.failDeployment != null ? x.failDeployment : "Deployed");
      }
      case "release" -> {
        Set<MaasStatus> releasable =
            EnumSet.of(
                MaasStatus.ALLOCATED,
                MaasStatus.DEPLOYED,
                MaasStatus.DEPLOYING,
                MaasStatus.FAILED_DEPLOYMENT,
                MaasStatus.BROKEN);
        if (!releasable.contains(x.status)) {
          return conflict(x, "released");
        }
        release(sim, x);
      }
      case "abort" -> {
        if (x.status == MaasStatus.COMMISSIONING || x.status == MaasStatus.TESTING) {
          x.stop();
          x.status = MaasStatus.NEW;
          x.statusMessage = "Aborted commissioning";
          x.powerState = "off";
        } else if (x.status == MaasStatus.DEPLOYING) {
          x.stop();
          x.status = MaasStatus.ALLOCATED;
          x.statusMessage = "Aborted deployment";
        } else {
          return conflict(x, "aborted: no action is in progress");
        }
      }
      case "power_on" -> x.powerState = "on";
      case "power_off" -> x.powerState = "off";
      default -> {
        return MaasSimulator.text(400, "Unrecognised signature: method=POST op=" + op);
      }
    }
    return MaasSimulator.json(x.toJson(root));
  }

  private static void release(MaasSimulator sim, SimulatedMachine x) {
    x.owner = null;
    x.ipAddresses.clear();
    x.start(sim.clock().instant(), MaasStatus.RELEASING, "Releasing");
    x.then(sim.timings()[3], MaasStatus.READY, "Released");
  }

  private static Answer conflict(SimulatedMachine x, String what) {
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

  private static Answer tags(MaasSimulator sim, String method, Map<String, List<String>> form) {
    if (method.equals("GET")) {
      var all = new ArrayList<Object>();
      sim.tags().forEach((name, comment) -> all.add(Map.of("name", name, "comment", comment)));
      return MaasSimulator.json(all);
    }
    String name = first(form, "name");
    if (name == null || name.isEmpty()) {
      return MaasSimulator.text(400, "{\"name\": [\"This field is required.\"]}");
    }
    if (sim.tags().containsKey(name)) {
      return MaasSimulator.text(400, "{\"name\": [\"Tag with this Name already exists.\"]}");
    }
    String comment = first(form, "comment");
    sim.tags().put(name, comment == null ? "" : comment);
    return MaasSimulator.json(Map.of("name", name, "comment", sim.tags().get(name)));
  }

  private static Answer updateTag(MaasSimulator sim, String tag, Map<String, List<String>> form) {
    if (!sim.tags().containsKey(tag)) {
      return MaasSimulator.text(404, "No Tag matches the given query.");
    }
    int added = 0;
    int removed = 0;
    for (String id : form.getOrDefault("add", List.of())) {
      SimulatedMachine x = sim.machines().get(id);
      if (x == null) {
        return MaasSimulator.text(400, "Unknown node(s): " + id);
      }
      added += x.tags.add(tag) ? 1 : 0;
    }
    for (String id : form.getOrDefault("remove", List.of())) {
      SimulatedMachine x = sim.machines().get(id);
      if (x == null) {
        return MaasSimulator.text(400, "Unknown node(s): " + id);
      }
      removed += x.tags.remove(tag) ? 1 : 0;
    }
    return MaasSimulator.json(Map.of("added", added, "removed", removed));
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
