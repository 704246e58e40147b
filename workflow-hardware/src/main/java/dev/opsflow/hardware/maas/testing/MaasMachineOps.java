package dev.opsflow.hardware.maas.testing;

import static dev.opsflow.hardware.maas.testing.MaasResources.first;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations ({@code ?op=}) on {@code machines/} and {@code machines/{id}/} of the {@link
 * MaasSimulator}, with MAAS's state rules. Called under its lock.
 */
final class MaasMachineOps {
  private static final Set<MaasStatus> COMMISSIONABLE =
      EnumSet.of(
          MaasStatus.NEW,
          MaasStatus.READY,
          MaasStatus.FAILED_COMMISSIONING,
          MaasStatus.FAILED_TESTING,
          MaasStatus.BROKEN);

  private MaasMachineOps() {}

  static Answer collection(
      MaasSimulator sim, String method, String op, Map<String, List<String>> form) {
    if (method.equals("GET") && op.isEmpty()) {
      return MaasSimulator.json(MaasRoutes.list(sim, form));
    }
    if (method.equals("GET") && op.equals("power_parameters")) {
      return MaasSimulator.json(
          MaasRoutes.powerParameters(sim, form.getOrDefault("id", List.of())));
    }
    if (method.equals("POST") && op.isEmpty()) {
      Answer invalid = MaasRoutes.validate(sim, form, true);
      if (invalid != null) {
        return invalid;
      }
      String hostname = first(form, "hostname");
      SimulatedMachine x = sim.addMachineLocked(hostname == null ? "machine" : hostname);
      if (hostname == null) {
        x.hostname = "machine-" + x.index;
      }
      MaasRoutes.apply(sim, x, form);
      if (!"false".equalsIgnoreCase(first(form, "commission"))) {
        commission(sim, x, sim.clock().instant());
      }
      return MaasSimulator.json(MaasJson.machine(x, sim));
    }
    if (method.equals("POST") && op.equals("allocate")) {
      for (SimulatedMachine x : sim.machines.values()) {
        if (x.status == MaasStatus.READY && matches(x, form)) {
          x.status = MaasStatus.ALLOCATED;
          x.statusMessage = "";
          x.owner = sim.user();
          var json = MaasJson.machine(x, sim);
          json.put("constraints_by_type", Map.of());
          return MaasSimulator.json(json);
        }
      }
      return MaasSimulator.text(409, "No available machine matches constraints: " + describe(form));
    }
    if (method.equals("POST") && op.equals("release")) {
      List<String> ids = form.getOrDefault("machines", List.of());
      var unknown = ids.stream().filter(id -> !sim.machines.containsKey(id)).toList();
      if (!unknown.isEmpty()) {
        return MaasSimulator.text(400, "Unknown machine(s): " + String.join(", ", unknown) + ".");
      }
      for (String id : ids) {
        SimulatedMachine x = sim.machines.get(id);
        if (MaasRoutes.releasable().contains(x.status)) {
          release(sim, x);
        }
      }
      return MaasSimulator.json(ids);
    }
    return MaasResources.unrecognised(method, op);
  }

  private static String describe(Map<String, List<String>> form) {
    var b = new StringBuilder();
    form.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : ", ")
                .append(k)
                .append('=')
                .append(String.join(",", v)));
    return b.length() == 0 ? "(none)" : b.toString();
  }

  private static boolean matches(SimulatedMachine x, Map<String, List<String>> form) {
    String id = first(form, "system_id");
    String name = first(form, "name");
    String cpus = first(form, "cpu_count");
    String mem = first(form, "mem");
    String zone = first(form, "zone");
    List<String> wanted = form.getOrDefault("tags", List.of());
    return (id == null || id.equals(x.systemId))
        && (name == null || name.equals(x.hostname) || name.equals(x.hostname + ".maas"))
        && (cpus == null || x.cpuCount >= Double.parseDouble(cpus))
        && (mem == null || x.memory >= Double.parseDouble(mem))
        && (zone == null || zone.equals(x.zone))
        && x.tags.containsAll(
            wanted.stream().flatMap(t -> List.of(t.split(",")).stream()).toList());
  }

  static Answer operation(
      MaasSimulator sim, SimulatedMachine x, String op, Map<String, List<String>> form) {
    Instant now = sim.clock().instant();
    Duration[] t = sim.timings();
    switch (op) {
      case "commission" -> {
        if (!COMMISSIONABLE.contains(x.status)) {
          return MaasRoutes.conflict(x, "commissioned");
        }
        commission(sim, x, now);
      }
      case "deploy" -> {
        if (x.status != MaasStatus.READY && x.status != MaasStatus.ALLOCATED) {
          return MaasRoutes.conflict(x, "deployed: it is not allocated");
        }
        if (x.status == MaasStatus.ALLOCATED && !sim.user().equals(x.owner)) {
          return MaasSimulator.text(
              403,
              "Machine " + x.systemId + " is allocated to " + x.owner + ", not to " + sim.user());
        }
        // MAAS checks the network and the storage layout before anything changes.
        if (!MaasNetworking.onNetwork(x)) {
          return MaasSimulator.invalid("network", "Node must be configured to use a network");
        }
        if (!x.storage.deploymentIssues().isEmpty()) {
          return MaasSimulator.Answer.json(400, Map.of("storage", x.storage.deploymentIssues()));
        }
        String series = first(form, "distro_series");
        if (series != null && series.startsWith("ubuntu/")) {
          series = series.substring("ubuntu/".length());
        }
        if (series != null && !MaasRoutes.series().contains(series)) {
          return MaasSimulator.invalid(
              "distro_series",
              "'"
                  + series
                  + "' is not a valid distro_series.  It should be one of: '', "
                  + String.join(
                      ", ", MaasRoutes.series().stream().map(s -> "'ubuntu/" + s + "'").toList())
                  + ".");
        }
        if (sim.ipAddressesExhausted()) {
          return MaasSimulator.text(503, "No more IP addresses available in subnet 10.20.0.0/16.");
        }
        if (x.status == MaasStatus.READY) {
          // MAAS allocates a Ready machine to the caller as part of deploy, once the request is
          // valid (a refused deploy leaves it Ready).
          x.status = MaasStatus.ALLOCATED;
          x.owner = sim.user();
        }
        x.osystem = "ubuntu";
        x.distroSeries = series == null ? "jammy" : series;
        x.hweKernel =
            "ga-"
                + Map.of("focal", "20.04", "jammy", "22.04", "noble", "24.04").get(x.distroSeries);
        x.powerState = "on";
        x.start(now, MaasStatus.DEPLOYING, "Deploying");
        x.then(
            t[2],
            x.failDeployment != null ? MaasStatus.FAILED_DEPLOYMENT : MaasStatus.DEPLOYED,
            x.failDeployment != null ? x.failDeployment : "Deployed");
      }
      case "release" -> {
        if (!MaasRoutes.releasable().contains(x.status)) {
          return MaasRoutes.conflict(x, "released");
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
          return MaasRoutes.conflict(x, "aborted: no action is in progress");
        }
      }
      case "power_on" -> x.powerState = "on";
      case "power_off" -> x.powerState = "off";
      case "mark_broken" -> {
        String message = first(form, "comment");
        x.stop();
        x.start(now, MaasStatus.BROKEN, message == null ? "" : message);
      }
      case "mark_fixed" -> {
        if (x.status != MaasStatus.BROKEN) {
          return MaasRoutes.conflict(x, "marked fixed: it is not broken");
        }
        x.status = x.commissioned ? MaasStatus.READY : MaasStatus.NEW;
        x.statusMessage = "";
      }
      case "lock", "unlock" -> {
        boolean lock = op.equals("lock");
        if (lock && x.status != MaasStatus.DEPLOYED && x.status != MaasStatus.DEPLOYING) {
          return MaasRoutes.conflict(x, "locked: only deployed machines can be");
        }
        if (x.locked == lock) {
          return MaasRoutes.conflict(
              x, lock ? "locked: it is locked already" : "unlocked: it is not locked");
        }
        x.locked = lock;
      }
      default -> {
        return MaasResources.unrecognised("POST", op);
      }
    }
    return MaasSimulator.json(MaasJson.machine(x, sim));
  }

  private static void commission(MaasSimulator sim, SimulatedMachine x, Instant now) {
    Duration[] t = sim.timings();
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

  static void release(MaasSimulator sim, SimulatedMachine x) {
    x.released();
    x.start(sim.clock().instant(), MaasStatus.RELEASING, "Releasing");
    x.then(sim.timings()[3], MaasStatus.READY, "Released");
  }
}
