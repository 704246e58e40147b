package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.workflow.testing.StandaloneSimulator;
import dev.opsflow.workflow.testing.StandaloneSimulator.Fault;
import dev.opsflow.workflow.testing.StandaloneSimulator.Options;
import dev.opsflow.workflow.testing.StandaloneSimulator.Started;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * The Redfish simulator as a standalone server: {@code java -cp ... RedfishSimulatorMain [--port N]
 * [--http-port N] [--mockup DIR] [--state DIR] [--update-duration PT30S] [--faults LIST]}. Serves
 * HTTPS (self-signed; the ready line names the CA file) and the same API over plain HTTP, until
 * SIGINT or SIGTERM. Faults: {@code fail-next=COUNT:STATUS}, {@code fail-updates=MESSAGE}, {@code
 * stick-updates}, {@code no-sessions}, {@code no-basic-auth}, {@code delete-monitors}.
 */
public final class RedfishSimulatorMain {
  private static final Set<String> OPTIONS = Set.of("http-port", "mockup", "update-duration");
  private static final Set<String> FAULTS =
      Set.of(
          "fail-next",
          "fail-updates",
          "stick-updates",
          "no-sessions",
          "no-basic-auth",
          "delete-monitors");

  private RedfishSimulatorMain() {}

  /**
   * Runs until SIGINT or SIGTERM; exits 2 on bad options.
   *
   * @param args the command line: the common simulator options and its own
   */
  public static void main(String[] args) {
    int status = StandaloneSimulator.serve("redfish", args, OPTIONS, RedfishSimulatorMain::start);
    System.exit(status);
  }

  static Started start(Options options) throws IOException {
    var builder = RedfishSimulator.builder().port(options.port());
    options.mockup().ifPresent(dir -> builder.mockup(Mockup.fromDirectory(dir)));
    options.stateDirectory().ifPresent(builder::stateDirectory);
    builder.httpPort(port(options.option("http-port").orElse("0")));
    options
        .option("update-duration")
        .map(RedfishSimulatorMain::duration)
        .ifPresent(builder::updateDuration);
    RedfishSimulator sim = builder.start();
    try {
      for (Fault fault : options.faults()) {
        apply(sim, fault);
      }
      Path ca =
          options.stateDirectory().isPresent()
              ? options.stateDirectory().get().resolve("redfish-ca.pem")
              : Files.createTempFile("redfish-simulator-ca", ".pem");
      Files.writeString(ca, sim.certificatePem(), StandardCharsets.US_ASCII);
      if (options.stateDirectory().isEmpty()) {
        ca.toFile().deleteOnExit();
      }
      var ready = new LinkedHashMap<String, Object>();
      ready.put("url", sim.origin());
      ready.put("httpUrl", sim.plainOrigin().orElseThrow());
      ready.put("username", sim.username());
      ready.put("password", sim.password().reveal());
      ready.put("caCertFile", ca.toAbsolutePath().toString());
      return new Started(ready, sim);
    } catch (RuntimeException | IOException e) {
      sim.close();
      throw e;
    }
  }

  private static void apply(RedfishSimulator sim, Fault fault) {
    switch (fault.name()) {
      case "fail-next" -> {
        String[] parts = fault.requireValue("COUNT:STATUS").split(":");
        if (parts.length != 2) {
          throw new IllegalArgumentException(
              "--faults fail-next=" + fault.value() + ": expected COUNT:STATUS, e.g. 2:503");
        }
        int count = new Fault("fail-next count", parts[0]).intValue(1, 1_000_000);
        int status = new Fault("fail-next status", parts[1]).intValue(400, 599);
        sim.failNext(count, status);
      }
      case "fail-updates" -> sim.failUpdates(fault.requireValue("MESSAGE"));
      case "stick-updates" -> sim.stickUpdates(true);
      case "no-sessions" -> sim.disableSessions();
      case "no-basic-auth" -> sim.disableBasicAuth();
      case "delete-monitors" -> sim.deleteMonitorsWhenDone(true);
      default -> throw fault.unknown("redfish", FAULTS);
    }
  }

  private static int port(String text) {
    return new Fault("http-port", text).intValue(0, 65535);
  }

  private static Duration duration(String text) {
    try {
      Duration d = Duration.parse(text);
      if (!d.isNegative()) {
        return d;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--update-duration " + text + ": expected an ISO-8601 duration >= 0, e.g. PT30S");
  }
}
