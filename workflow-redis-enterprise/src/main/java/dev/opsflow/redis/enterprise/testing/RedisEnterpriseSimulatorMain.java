package dev.opsflow.redis.enterprise.testing;

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
import java.util.UUID;

/**
 * The Redis Enterprise simulator as a standalone server: {@code java -cp ...
 * RedisEnterpriseSimulatorMain [--port N] [--state DIR] [--bootstrapped CLUSTER_NAME]
 * [--bootstrap-duration PT30S] [--cluster-ca FILE] [--faults LIST]}. Serves the REST API over HTTPS
 * (self-signed; the ready line names the CA file) until SIGINT or SIGTERM; with {@code
 * --bootstrapped} the node is already a cluster and the ready line carries its admin account.
 * {@code --port N} binds that port; {@code --state DIR} keeps the cluster in {@code DIR} across
 * restarts (a restored, bootstrapped cluster stays as it was, and the ready line carries its admin
 * account). {@code --cluster-ca FILE} is the certificate (PEM) of the cluster this node will join
 * with {@code POST /v1/bootstrap/join_cluster} when that cluster is a simulator in another process:
 * the {@code caCertFile} of its ready line (each process makes its own self-signed certificate).
 * Faults: {@code fail-next=COUNT:STATUS}, {@code drop=COUNT}, {@code latency=MILLIS}, {@code
 * fail-action=CODE}, {@code stick-action}, {@code fail-bootstrap=CODE}.
 */
public final class RedisEnterpriseSimulatorMain {
  private static final Set<String> OPTIONS =
      Set.of("bootstrapped", "bootstrap-duration", "cluster-ca");
  private static final Set<String> FAULTS =
      Set.of("fail-next", "drop", "latency", "fail-action", "stick-action", "fail-bootstrap");

  private RedisEnterpriseSimulatorMain() {}

  /**
   * Runs until SIGINT or SIGTERM; exits 2 on bad options.
   *
   * @param args the command line: the common simulator options and its own
   */
  public static void main(String[] args) {
    System.exit(
        StandaloneSimulator.serve(
            "redis-enterprise", args, OPTIONS, RedisEnterpriseSimulatorMain::start));
  }

  static Started start(Options options) throws IOException {
    var builder = RedisEnterpriseSimulator.builder().port(options.port());
    options.stateDirectory().ifPresent(builder::stateDirectory);
    options
        .option("bootstrap-duration")
        .ifPresent(d -> builder.bootstrapDuration(duration("bootstrap-duration", d)));
    options.option("cluster-ca").ifPresent(file -> builder.clusterCertificate(pem(file)));
    RedisEnterpriseSimulator sim = builder.start();
    try {
      for (Fault fault : options.faults()) {
        apply(sim.faults(), fault);
      }
      var ready = new LinkedHashMap<String, Object>();
      ready.put("url", sim.url());
      Path ca = Files.createTempFile("redis-enterprise-simulator-ca", ".pem");
      ca.toFile().deleteOnExit();
      Files.writeString(ca, sim.certificatePem(), StandardCharsets.US_ASCII);
      ready.put("caCertFile", ca.toAbsolutePath().toString());
      var admin = sim.admin();
      if (sim.restored() && sim.bootstrapState().equals("completed") && admin.isPresent()) {
        // The saved cluster, as it was: --bootstrapped does not bootstrap it again.
        ready.put("clusterName", sim.clusterName().orElse(null));
        ready.put("username", admin.get()[0]);
        ready.put("password", admin.get()[1]);
      } else if (options.option("bootstrapped").isPresent()) {
        String cluster = options.option("bootstrapped").get();
        String password = "pw-" + UUID.randomUUID().toString().substring(0, 12);
        String username = "admin@" + cluster;
        sim.bootstrapped(cluster, username, password);
        ready.put("clusterName", cluster);
        ready.put("username", username);
        ready.put("password", password);
      }
      return new Started(ready, sim);
    } catch (RuntimeException | IOException e) {
      sim.close();
      throw e;
    }
  }

  private static void apply(Faults faults, Fault fault) {
    switch (fault.name()) {
      case "fail-next" -> {
        String[] parts = fault.requireValue("COUNT:STATUS").split(":");
        if (parts.length != 2) {
          throw new IllegalArgumentException(
              "--faults fail-next=" + fault.value() + ": expected COUNT:STATUS, e.g. 2:503");
        }
        faults.failNext(
            new Fault("fail-next count", parts[0]).intValue(1, 1_000_000),
            new Fault("fail-next status", parts[1]).intValue(400, 599));
      }
      case "drop" -> faults.dropNext(fault.intValue(1, 1_000_000));
      case "latency" -> faults.latency(Duration.ofMillis(fault.intValue(0, 600_000)));
      case "fail-action" ->
          faults.nextActionFails(fault.requireValue("CODE"), "injected by --faults");
      case "stick-action" -> faults.nextActionNeverEnds();
      case "fail-bootstrap" ->
          faults.nextBootstrapFails(fault.requireValue("CODE"), "injected by --faults");
      default -> throw fault.unknown("redis-enterprise", FAULTS);
    }
  }

  /** The certificate in {@code file}, read now so that a bad file is a bad option (exit 2). */
  private static String pem(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--cluster-ca "
              + file
              + ": cannot be read ("
              + e.getMessage()
              + "); expected a PEM file");
    }
    if (!text.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalArgumentException(
          "--cluster-ca " + file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return text;
  }

  private static Duration duration(String option, String text) {
    try {
      Duration d = Duration.parse(text);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--" + option + " " + text + ": expected an ISO-8601 duration > 0, e.g. PT30S");
  }
}
