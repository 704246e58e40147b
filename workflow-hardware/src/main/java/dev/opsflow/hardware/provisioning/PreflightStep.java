package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasMachine;
import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;

/**
 * Pre-flight checks of firmware-first provisioning: the device type is in the catalog, the MAAS
 * machine can be read and is not Broken or deploying, the BMC answers Redfish and lists a system.
 * Read-only.
 */
public final class PreflightStep extends HardwareStep {

  /**
   * The step, named {@code preflight}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public PreflightStep(HardwareClients clients, DeviceCatalog catalog) {
    super("preflight", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    DeviceType type = deviceType(ctx);
    ctx.subTask("Reading MAAS machine " + systemId(ctx));
    MaasMachine m = clients().maas(ctx).machine(systemId(ctx));
    if (m.is(MaasStatus.BROKEN) || m.is(MaasStatus.DEPLOYING) || m.is(MaasStatus.DEPLOYED)) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "MAAS machine "
              + m.systemId()
              + " is "
              + m.describeStatus()
              + ": firmware updates need a machine that is not broken and not in use");
    }
    ctx.put(ProvisioningKeys.HOSTNAME, m.hostname());
    ctx.subTask("Connecting to the BMC over Redfish");
    String system = withRedfish(ctx, bmc -> system(ctx, bmc));
    ctx.subTask(
        "Ready: MAAS "
            + m.describeStatus()
            + ", Redfish system "
            + system
            + ", device type "
            + type.name());
  }

  @Override
  public String describe(StepContext ctx) {
    return "check that MAAS, the BMC's Redfish service and the device type are usable";
  }
}
