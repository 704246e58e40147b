package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.StepContext;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes the server boot once from the {@code bootDevice} input (PXE for MAAS commissioning) before
 * {@link CommissionMachineStep} powers it on, through the chain {@code boot_device}: a Redfish
 * {@code Once} boot source override, the vendor tool ({@code racadm set
 * iDRAC.ServerBoot.FirstBootDevice} and {@code BootOnce}), or {@code ipmitool chassis bootdev}. A
 * BMC whose Redfish system has no Boot override falls back to the next method with that reason.
 *
 * <p>Skipped without {@code bootDevice}, and when {@code commission} will be skipped (the machine
 * is commissioned already, or commissioning runs): a one-time boot nobody uses would surprise the
 * next reset. No compensation: the override is used up by the next boot.
 */
public final class SetBootDeviceStep extends HardwareStep {
  private final CommissionMachineStep commission;

  /**
   * The step, named {@code set-boot-device}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public SetBootDeviceStep(HardwareClients clients, DeviceCatalog catalog) {
    super("set-boot-device", clients, catalog);
    this.commission = new CommissionMachineStep(clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.get(ProvisioningKeys.BOOT_DEVICE).isEmpty()) {
      return Optional.of("no bootDevice: the boot order is left as it is");
    }
    return commission.precheck(ctx).map(reason -> "nothing boots for commissioning: " + reason);
  }

  @Override
  public void run(StepContext ctx) {
    BootTarget target = ctx.require(ProvisioningKeys.BOOT_DEVICE);
    ctx.subTask("Next boot of " + systemId(ctx) + ": " + target.name().toLowerCase(Locale.ROOT));
    chain(
        ctx,
        Capability.BOOT_DEVICE,
        access -> {
          access.setNextBoot(target);
          return null;
        });
  }

  @Override
  public String describe(StepContext ctx) {
    return "boot MAAS machine "
        + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("?")
        + " once from "
        + ctx.get(ProvisioningKeys.BOOT_DEVICE)
            .map(t -> t.name().toLowerCase(Locale.ROOT))
            .orElse("?")
        + " for commissioning (chain boot_device)";
  }
}
