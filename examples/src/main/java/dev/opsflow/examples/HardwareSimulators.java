package dev.opsflow.examples;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.RedfishSettings;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simulated data centre of the hardware workflows: one MAAS simulator, and for each of its
 * machines a Redfish simulator as its BMC (HTTPS with a self-signed certificate that the clients
 * trust explicitly, per BMC). Machines start in status New with a DHCP address MAAS observes
 * (10.20.0.x). Thread-safe.
 */
final class HardwareSimulators implements AutoCloseable {
  /** The device type the built-in Redfish mockup is an instance of. */
  static final String DEVICE_TYPE = "a1.c5.large";

  /** How many machines exist before any batch adds its own. */
  static final int MACHINES = 3;

  /**
   * How long the simulated hardware takes, in real time.
   *
   * @param commissioning MAAS commissioning
   * @param testing MAAS testing, after commissioning
   * @param firmwareUpdate one Redfish firmware update task
   */
  record Timings(Duration commissioning, Duration testing, Duration firmwareUpdate) {
    /**
     * A demo: a machine is Ready about 5 s after commissioning starts (the await step polls every 5
     * s).
     */
    static final Timings DEMO =
        new Timings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

    /** No waiting: for tests. */
    static final Timings INSTANT = new Timings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /**
   * A simulated machine.
   *
   * @param systemId its MAAS system id
   * @param hostname its MAAS hostname
   * @param bmc its BMC
   */
  record Machine(String systemId, String hostname, RedfishSimulator bmc) {
    /** {@code 127.0.0.1:PORT}: the bmcAddress input. */
    String bmcAddress() {
      return bmc.origin().replaceFirst("^https://", "");
    }
  }

  static final String MAAS = "maas";

  private final Timings timings;
  private final SimulatorWorld world;
  private final MaasSimulator maas;
  private final List<Machine> machines = new ArrayList<>();

  private HardwareSimulators(Timings timings, SimulatorWorld world) {
    this.timings = timings;
    this.world = world;
    Path state = world == null ? null : world.stateDirectory(MAAS);
    int port = world == null ? 0 : world.port(MAAS);
    this.maas =
        Targets.startOnPort(
                () -> MaasSimulator.start(Clock.systemUTC(), port, state),
                () -> MaasSimulator.start(Clock.systemUTC(), 0, state))
            .withTimings(
                timings.commissioning(),
                timings.testing(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1));
    if (world != null) {
      world.port(MAAS, SimulatorWorld.portOf(maas.baseUri()));
    }
  }

  /** Starts MAAS with {@link #MACHINES} new machines, each with its BMC; nothing kept. */
  static HardwareSimulators start(Timings timings) {
    return start(timings, null);
  }

  /**
   * Starts MAAS and the BMCs, keeping their state in {@code world} (null: nothing kept): a world
   * seen before gets its machines back, each BMC on its port; a new one {@link #MACHINES} new
   * machines.
   */
  static HardwareSimulators start(Timings timings, SimulatorWorld world) {
    var hw = new HardwareSimulators(timings, world);
    try {
      List<SimulatorWorld.MachineRecord> kept = world == null ? List.of() : world.machines();
      for (var m : kept) {
        hw.restoreMachine(m);
      }
      for (int i = kept.size() + 1; i <= MACHINES; i++) {
        hw.addMachine("node" + i);
      }
    } catch (RuntimeException e) {
      hw.close();
      throw e;
    }
    return hw;
  }

  /** Adds a new machine and starts its BMC. */
  synchronized Machine addMachine(String hostname) {
    String id = maas.addMachine(hostname);
    var bmc = startBmc(id, 0);
    maas.assignIpAddress(id, "10.20.0." + (10 + machines.size()));
    var machine = new Machine(id, hostname, bmc);
    machines.add(machine);
    if (world != null) {
      world.addMachine(
          new SimulatorWorld.MachineRecord(id, hostname, SimulatorWorld.portOf(bmc.origin())));
    }
    return machine;
  }

  /** A machine of the world, its BMC back on its port (or a free one when that is taken). */
  private synchronized void restoreMachine(SimulatorWorld.MachineRecord m) {
    machines.add(new Machine(m.systemId(), m.hostname(), startBmc(m.systemId(), m.bmcPort())));
  }

  private RedfishSimulator startBmc(String systemId, int port) {
    var builder = RedfishSimulator.builder().mockup(Mockup.builtIn()).clock(Clock.systemUTC());
    if (world != null) {
      builder.stateDirectory(world.stateDirectory("bmc-" + systemId));
    }
    var bmc = Targets.startOnPort(() -> builder.port(port).start(), () -> builder.port(0).start());
    bmc.updateDuration(timings.firmwareUpdate());
    return bmc;
  }

  /** How many machines the rack has. */
  synchronized int size() {
    return machines.size();
  }

  /** MAAS's base URI. */
  String maasUrl() {
    return maas.baseUri();
  }

  /** MAAS's API key, revealed: an input the CLI masks as every secret. */
  String maasApiKey() {
    return maas.apiKey().reveal();
  }

  /** A client of the simulated MAAS. */
  MaasClient maasClient() {
    return MaasClient.create(maas.baseUri(), maas.apiKey());
  }

  /** The machine {@code systemId}, if it is simulated here. */
  synchronized Optional<Machine> machine(String systemId) {
    return machines.stream().filter(m -> m.systemId().equals(systemId)).findFirst();
  }

  /** The machine with {@code hostname}, if there is one. */
  synchronized Optional<Machine> machineNamed(String hostname) {
    return machines.stream().filter(m -> m.hostname().equals(hostname)).findFirst();
  }

  /** The first machine, the one a single run works on unless told otherwise. */
  synchronized Machine first() {
    return machines.get(0);
  }

  /**
   * {@code settings} trusting the certificate of the simulated BMC they point at, and only it;
   * settings for any other BMC are left as they are (the JDK's trust store, or bmcCaCertFile).
   */
  RedfishSettings trust(RedfishSettings settings) {
    URI origin = settings.http().baseUri();
    List<Machine> all;
    synchronized (this) {
      all = List.copyOf(machines);
    }
    for (Machine m : all) {
      URI bmc = URI.create(m.bmc().origin());
      if (bmc.getHost().equals(origin.getHost()) && bmc.getPort() == origin.getPort()) {
        return settings.withHttp(settings.http().withTrustedPem(m.bmc().certificatePem()));
      }
    }
    return settings;
  }

  @Override
  public synchronized void close() {
    machines.forEach(m -> m.bmc().close());
    maas.close();
  }
}
