package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;

/**
 * Reports the result as the run's outputs: {@code systemId}, {@code hostname}, {@code ipAddresses},
 * {@code deviceType}, {@code biosChanges} (attribute to value set in this run; empty when none),
 * {@code bmcAddress} (the target address, else the address used), {@code tags} and, after firmware
 * updates, {@code firmwareUpdates} ({@code BIOS 1.4.2 -> 1.5.0}). Never a secret. Read-only.
 */
public final class ReportStep extends HardwareStep {

  /**
   * The step, named {@code report}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ReportStep(HardwareClients clients, DeviceCatalog catalog) {
    super("report", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    ctx.output("systemId", systemId(ctx));
    ctx.get(ProvisioningKeys.HOSTNAME).ifPresent(h -> ctx.output("hostname", h));
    ctx.output("ipAddresses", ctx.get(ProvisioningKeys.MACHINE_IPS).orElse(List.of()));
    ctx.output("deviceType", ctx.require(ProvisioningKeys.DEVICE_TYPE));
    boolean applied = ctx.get(ProvisioningKeys.BIOS_APPLIED).orElse(false);
    ctx.output(
        "biosChanges",
        applied
            ? ctx.get(ProvisioningKeys.BIOS_CHANGE).map(BiosChange::wanted).orElse(Map.of())
            : Map.of());
    ctx.output(
        "bmcAddress",
        ctx.get(ProvisioningKeys.TARGET_BMC_IP)
            .orElseGet(() -> HardwareClients.bmcHost(ctx.require(ProvisioningKeys.BMC_ADDRESS))));
    ctx.output("tags", ctx.get(ProvisioningKeys.TAGS).orElse(List.of()));
    ctx.get(ProvisioningKeys.FIRMWARE_PLAN)
        .ifPresent(
            plan ->
                ctx.output(
                    "firmwareUpdates",
                    plan.updates().stream().map(FirmwarePlan.Update::describe).toList()));
  }

  @Override
  public String describe(StepContext ctx) {
    return "report the machine, its addresses, BIOS changes, BMC address and tags";
  }
}
