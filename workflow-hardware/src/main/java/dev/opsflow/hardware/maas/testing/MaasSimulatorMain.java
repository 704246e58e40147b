package dev.opsflow.hardware.maas.testing;

import dev.opsflow.workflow.testing.StandaloneSimulator;
import dev.opsflow.workflow.testing.StandaloneSimulator.Fault;
import dev.opsflow.workflow.testing.StandaloneSimulator.Options;
import dev.opsflow.workflow.testing.StandaloneSimulator.Started;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * The MAAS simulator as a standalone server: {@code java -cp ... MaasSimulatorMain [--port N]
 * [--state DIR] [--machines N] [--timings COMMISSION,TEST,DEPLOY,RELEASE] [--faults LIST]}. Plain
 * HTTP, as MAAS's API on port 5240; a fresh state gets {@code --machines} New machines (default 3).
 * Faults: {@code fail-next=COUNT:STATUS}, {@code exhaust-ips}.
 */
public final class MaasSimulatorMain {
  private static final Set<String> OPTIONS = Set.of("machines", "timings");
  private static final Set<String> FAULTS = Set.of("fail-next", "exhaust-ips");

  private MaasSimulatorMain() {}

  /**
   * Runs until SIGINT or SIGTERM; exits 2 on bad options.
   *
   * @param args the command line: the common simulator options and its own
   */
  public static void main(String[] args) {
    System.exit(StandaloneSimulator.serve("maas", args, OPTIONS, MaasSimulatorMain::start));
  }

  static Started start(Options options) {
    int machines =
        new Fault("machines", options.option("machines").orElse("3")).intValue(0, 10_000);
    Duration[] timings = timings(options.option("timings").orElse("PT3M,PT2M,PT10M,PT1M"));
    MaasSimulator sim =
        MaasSimulator.start(
            Clock.systemUTC(), options.port(), options.stateDirectory().orElse(null));
    try {
      sim.withTimings(timings[0], timings[1], timings[2], timings[3]);
      if (sim.requests().isEmpty() && sim.machineCount() == 0) {
        for (int i = 1; i <= machines; i++) {
          sim.addMachine(String.format("node%02d", i));
        }
      }
      for (Fault fault : options.faults()) {
        switch (fault.name()) {
          case "fail-next" -> {
            String[] parts = fault.requireValue("COUNT:STATUS").split(":");
            if (parts.length != 2) {
              throw new IllegalArgumentException(
                  "--faults fail-next=" + fault.value() + ": expected COUNT:STATUS, e.g. 2:503");
            }
            sim.failNext(
                new Fault("fail-next count", parts[0]).intValue(1, 1_000_000),
                new Fault("fail-next status", parts[1]).intValue(400, 599),
                null);
          }
          case "exhaust-ips" -> sim.exhaustIpAddresses(true);
          default -> throw fault.unknown("maas", FAULTS);
        }
      }
      var ready = new LinkedHashMap<String, Object>();
      ready.put("url", sim.baseUri());
      ready.put("apiKey", sim.apiKey().reveal());
      return new Started(ready, sim);
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
  }

  private static Duration[] timings(String text) {
    String[] parts = text.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "--timings "
              + text
              + ": expected four ISO-8601 durations COMMISSION,TEST,DEPLOY,RELEASE,"
              + " e.g. PT20S,PT10S,PT1M,PT5S");
    }
    var out = new Duration[4];
    for (int i = 0; i < 4; i++) {
      try {
        out[i] = Duration.parse(parts[i].strip());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--timings " + text + ": '" + parts[i] + "' is not an ISO-8601 duration such as PT20S");
      }
      if (out[i].isNegative()) {
        throw new IllegalArgumentException("--timings " + text + ": durations must be >= 0");
      }
    }
    return out;
  }
}
