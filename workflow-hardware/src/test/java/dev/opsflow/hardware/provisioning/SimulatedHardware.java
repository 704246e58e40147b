package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A MAAS simulator and a Redfish simulator on one manual clock, an engine on that clock, and the
 * clients and inputs for the provisioning workflows. Commissioning takes 45 simulated minutes and
 * no real time.
 */
final class SimulatedHardware implements AutoCloseable {
  static final String DEVICE_TYPE = "a1.c5.large";

  final ManualClock clock = new ManualClock();
  final MaasSimulator maas;
  final RedfishSimulator bmc;
  final List<WorkflowEvent> events = new CopyOnWriteArrayList<>();
  final WorkflowEngine engine;
  final HardwareClients clients;
  final DeviceCatalog catalog = DeviceCatalog.defaults();

  SimulatedHardware() {
    maas =
        MaasSimulator.start(clock)
            .withTimings(
                Duration.ofMinutes(20),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                Duration.ofMinutes(1));
    bmc = RedfishSimulator.start(Mockup.builtIn(), clock);
    engine = WorkflowEngine.builder().clock(clock).sleeper(clock).listener(events::add).build();
    clients = trusting(bmc);
  }

  /**
   * Clients that trust {@code simulator}'s self-signed certificate (and only it), and reach every
   * BMC address on 127.0.0.1 with its port: the addresses a run moves a BMC to (192.168.x) stand
   * for the simulator, so no test ever sends a packet off the loopback.
   */
  static HardwareClients trusting(RedfishSimulator simulator) {
    return HardwareClients.fromContext()
        .withRedfish(
            s ->
                s.withHttp(
                    s.http()
                        .withBaseUri(loopback(s.http().baseUri()))
                        .withTrustedPem(simulator.certificatePem())));
  }

  /** {@code uri} on 127.0.0.1, its port kept. */
  static java.net.URI loopback(java.net.URI uri) {
    return java.net.URI.create(
        uri.getScheme() + "://127.0.0.1:" + uri.getPort() + uri.getRawPath());
  }

  MaasClient maasClient() {
    return MaasClient.create(maas.baseUri(), maas.apiKey());
  }

  /** {@code host:port} of the Redfish simulator, as bmcAddress. */
  String bmcAddress() {
    return bmc.origin().replaceFirst("^https://", "");
  }

  /**
   * The inputs of a run on machine {@code systemId}: MAAS, device type, BMC and its credentials.
   */
  Map<String, Object> inputs(String systemId) {
    var in = new LinkedHashMap<String, Object>();
    in.put("maasUrl", maas.baseUri());
    in.put("maasApiKey", maas.apiKey());
    in.put("systemId", systemId);
    in.put("deviceType", DEVICE_TYPE);
    in.put("bmcAddress", bmcAddress());
    in.put("bmcUsername", bmc.username());
    in.put("bmcPassword", bmc.password());
    return in;
  }

  /** The current BIOS attributes of the simulated server. */
  Map<String, Object> biosAttributes() {
    return dev.opsflow.workflow.Json.mapper()
        .convertValue(
            bmc.resource("/redfish/v1/Systems/SRV-A1B2C3/Bios").path("Attributes"), Map.class);
  }

  static boolean mutating(RecordedRequest r) {
    return !r.method().equals("GET")
        && !r.path().contains("SessionService")
        && !r.path().endsWith("/Sessions");
  }

  @Override
  public void close() {
    engine.close();
    maas.close();
    bmc.close();
  }
}
