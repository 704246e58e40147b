package dev.opsflow.redis.cloud.testing;

import dev.opsflow.workflow.testing.StandaloneSimulator;
import dev.opsflow.workflow.testing.StandaloneSimulator.Fault;
import dev.opsflow.workflow.testing.StandaloneSimulator.Options;
import dev.opsflow.workflow.testing.StandaloneSimulator.Started;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * The Redis Cloud simulator as a standalone server: {@code java -cp ... RedisCloudSimulatorMain
 * [--port N] [--state DIR] [--timings default|fast] [--transport https|http] [--faults LIST]}.
 * Serves the API under {@code /v1} over HTTPS (the ready line's {@code caCertFile} is the
 * certificate to trust; plain HTTP only with {@code --transport http}, as the real API is HTTPS
 * only) and each database on a real redis-server when one is on the PATH, until SIGINT or SIGTERM.
 * Faults: {@code fail-next=COUNT:STATUS}, {@code throttle=COUNT:SECONDS}, {@code drop=COUNT},
 * {@code latency=MILLIS}, {@code fail-task=CODE}, {@code stick-task}.
 */
public final class RedisCloudSimulatorMain {
  private static final Set<String> OPTIONS = Set.of("timings", "transport");
  private static final Set<String> FAULTS =
      Set.of("fail-next", "throttle", "drop", "latency", "fail-task", "stick-task");

  private RedisCloudSimulatorMain() {}

  /**
   * Runs until SIGINT or SIGTERM; exits 2 on bad options.
   *
   * @param args the command line: the common simulator options and its own
   */
  public static void main(String[] args) {
    System.exit(
        StandaloneSimulator.serve("redis-cloud", args, OPTIONS, RedisCloudSimulatorMain::start));
  }

  static Started start(Options options) {
    String timings = options.option("timings").orElse("default");
    SimulatorSettings settings =
        switch (timings) {
          case "default" -> SimulatorSettings.defaults();
          case "fast" -> SimulatorSettings.fast();
          default ->
              throw new IllegalArgumentException(
                  "--timings " + timings + ": expected default or fast");
        };
    String transportName = options.option("transport").orElse("https");
    RedisCloudSimulator.Transport transport =
        switch (transportName) {
          case "https" -> RedisCloudSimulator.Transport.HTTPS;
          case "http" -> RedisCloudSimulator.Transport.PLAIN_HTTP;
          default ->
              throw new IllegalArgumentException(
                  "--transport " + transportName + ": expected https or http");
        };
    RedisCloudSimulator sim =
        RedisCloudSimulator.start(
            Clock.systemUTC(),
            settings,
            options.port(),
            options.stateDirectory().orElse(null),
            transport);
    try {
      for (Fault fault : options.faults()) {
        apply(sim.faults(), fault);
      }
      var ready = new LinkedHashMap<String, Object>();
      ready.put("url", sim.baseUri());
      ready.put("apiKey", sim.apiKey().reveal());
      ready.put("secretKey", sim.secretKey().reveal());
      // The certificate of the API and of TLS databases, for clients to trust.
      Path ca =
          options.stateDirectory().isPresent()
              ? options.stateDirectory().get().resolve("redis-cloud-ca.pem")
              : Files.createTempFile("redis-cloud-simulator-ca", ".pem");
      Files.writeString(ca, sim.certificatePem(), StandardCharsets.US_ASCII);
      if (options.stateDirectory().isEmpty()) {
        ca.toFile().deleteOnExit();
      }
      ready.put("caCertFile", ca.toAbsolutePath().toString());
      return new Started(ready, sim);
    } catch (IOException e) {
      sim.close();
      throw new UncheckedIOException("cannot write the CA file", e);
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
  }

  private static void apply(SimulatorFaults faults, Fault fault) {
    switch (fault.name()) {
      case "fail-next" -> {
        int[] pair = pair(fault, "COUNT:STATUS", 400, 599);
        faults.failNextRequests(pair[0], pair[1]);
      }
      case "throttle" -> {
        int[] pair = pair(fault, "COUNT:SECONDS", 1, 3600);
        faults.throttleNextRequests(pair[0], Duration.ofSeconds(pair[1]));
      }
      case "drop" -> faults.dropNextConnections(fault.intValue(1, 1_000_000));
      case "latency" -> faults.latency(Duration.ofMillis(fault.intValue(0, 600_000)));
      case "fail-task" -> faults.failNextTaskWithCode(fault.requireValue("CODE"));
      case "stick-task" -> faults.stickNextTask();
      default -> throw fault.unknown("redis-cloud", FAULTS);
    }
  }

  private static int[] pair(Fault fault, String shape, int min, int max) {
    String[] parts = fault.requireValue(shape).split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "--faults " + fault.name() + "=" + fault.value() + ": expected " + shape);
    }
    return new int[] {
      new Fault(fault.name() + " count", parts[0]).intValue(1, 1_000_000),
      new Fault(fault.name() + " value", parts[1]).intValue(min, max)
    };
  }
}
