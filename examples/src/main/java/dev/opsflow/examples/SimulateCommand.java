package dev.opsflow.examples;

import dev.opsflow.hardware.maas.testing.MaasSimulatorMain;
import dev.opsflow.hardware.redfish.testing.RedfishSimulatorMain;
import dev.opsflow.redis.cloud.testing.RedisCloudSimulatorMain;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulatorMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code opsflow simulate KIND [--port N] [--state DIR] [--mockup DIR] [--faults LIST]}: one
 * simulator as a standalone server for other people's clients, until SIGINT or SIGTERM. It prints
 * one JSON line on stdout when it is ready (its URL and credentials), then nothing else on stdout.
 * The same servers run without the CLI as {@code java -cp <module jar> <KIND>SimulatorMain}; this
 * command hands its options to them (docs/simulators.md lists each one's options and faults).
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Serve one simulator (redis-enterprise, redis-cloud, maas, redfish) until SIGINT/SIGTERM.",
      "Prints one JSON line on stdout when ready: url, credentials, caCertFile for TLS ones.",
      "Options go to the simulator: --port N, --state DIR (its state survives a restart),"
          + " --mockup DIR (redfish), --faults LIST, and its own (see docs/simulators.md)."
    })
final class SimulateCommand implements Callable<Integer> {
  /** The kinds, as named on the command line. */
  static final List<String> KINDS = List.of("redis-enterprise", "redis-cloud", "maas", "redfish");

  @ParentCommand OpsflowCommand root;

  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "redis-enterprise, redis-cloud, maas or redfish")
  String kind;

  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Integer call() {
    String[] args = options.toArray(String[]::new);
    // Each main serves until a signal, then exits the JVM with its own status (2 for bad options).
    switch (kind) {
      case "redis-enterprise" -> RedisEnterpriseSimulatorMain.main(args);
      case "redis-cloud" -> RedisCloudSimulatorMain.main(args);
      case "maas" -> MaasSimulatorMain.main(args);
      case "redfish" -> RedfishSimulatorMain.main(args);
      default -> {
        root.cli.err.println(
            "opsflow simulate: unknown simulator '" + kind + "': expected one of " + KINDS);
        return ExitCodes.USAGE.code;
      }
    }
    return 0;
  }
}
