package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.RedfishClient;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The base of the provisioning steps: a name, the {@link HardwareClients} that give each execution
 * its clients and the {@link DeviceCatalog} of device types. Subclasses are stateless; per-run
 * state goes in the context under {@link ProvisioningKeys}.
 */
public abstract class HardwareStep implements Step {
  private final String name;
  private final HardwareClients clients;
  private final DeviceCatalog catalog;

  /**
   * A step named {@code name} with the run's clients and the device types.
   *
   * @param name the step's name
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  protected HardwareStep(String name, HardwareClients clients, DeviceCatalog catalog) {
    this.name = Objects.requireNonNull(name, "name must not be null");
    this.clients = Objects.requireNonNull(clients, "clients must not be null");
    this.catalog = Objects.requireNonNull(catalog, "catalog must not be null");
  }

  @Override
  public final String name() {
    return name;
  }

  /** {@return the clients} */
  protected HardwareClients clients() {
    return clients;
  }

  /**
   * The run's device type.
   *
   * @param ctx the step's context
   * @return the device type named by the run's input
   */
  protected DeviceType deviceType(StepContext ctx) {
    return catalog.get(ctx.require(ProvisioningKeys.DEVICE_TYPE));
  }

  /**
   * The run's MAAS system id.
   *
   * @param ctx the step's context
   * @return the system id
   */
  protected static String systemId(StepContext ctx) {
    return ctx.require(ProvisioningKeys.SYSTEM_ID);
  }

  /** Serves {@code capability} with the first method of its chain that can (see MethodChain). */
  <T> T chain(StepContext ctx, Capability capability, Function<ServerAccess, T> operation) {
    return MethodChain.call(ctx, clients, deviceType(ctx), capability, operation);
  }

  /**
   * Opens a Redfish session to the run's BMC, applies {@code call} and closes the session.
   *
   * @param <T> the type of the result
   * @param ctx the step's context
   * @param call the work with the session
   * @return what {@code call} returned
   */
  protected <T> T withRedfish(StepContext ctx, Function<RedfishClient, T> call) {
    try (RedfishClient bmc = clients.redfish(ctx)) {
      return call.apply(bmc);
    }
  }

  /**
   * The Redfish system of the run's BMC: the one found before, else the first of the service's
   * Systems (a BMC manages one server).
   *
   * @param ctx the step's context
   * @param bmc the session to the BMC
   * @return the system's {@code @odata.id}
   */
  protected static String system(StepContext ctx, RedfishClient bmc) {
    return ctx.get(ProvisioningKeys.REDFISH_SYSTEM)
        .orElseGet(
            () -> {
              List<String> systems = bmc.systems();
              if (systems.isEmpty()) {
                throw new dev.opsflow.workflow.WorkflowException(
                    dev.opsflow.workflow.ErrorKind.PROTOCOL,
                    "Redfish service at "
                        + ctx.get(ProvisioningKeys.BMC_ADDRESS).orElse("?")
                        + " lists no system");
              }
              String system = systems.get(0);
              ctx.put(ProvisioningKeys.REDFISH_SYSTEM, system);
              return system;
            });
  }
}
