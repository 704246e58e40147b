package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Resets the system after firmware updates so they take effect ({@code On} when it is off, {@code
 * ForceRestart} when on), then polls its PowerState until it is On again, within the device type's
 * BIOS timeout. Skipped when no firmware was updated in this run. A {@link PollingStep}; the reset
 * is requested once (remembered in the context).
 */
public final class ResetAfterFirmwareStep extends HardwareStep implements PollingStep {

  /**
   * The step, named {@code reset-after-firmware}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ResetAfterFirmwareStep(HardwareClients clients, DeviceCatalog catalog) {
    super("reset-after-firmware", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(ProvisioningKeys.FIRMWARE_DONE).orElse(0) > 0
        ? Optional.empty()
        : Optional.of("no firmware was updated: no reset needed");
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    if (!ctx.get(ProvisioningKeys.FIRMWARE_RESET).orElse(false)) {
      ApplyBiosSettingsStep.reset(this, ctx);
      ctx.put(ProvisioningKeys.FIRMWARE_RESET, true);
    }
    return Await.<String>on(ctx, "power on after the firmware update")
        .every(Duration.ofSeconds(10))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(60))
        .timeout(deviceType(ctx).timeouts().bios())
        .poll(
            polling,
            () -> chain(ctx, Capability.POWER, ServerAccess::powerState),
            "On"::equalsIgnoreCase,
            s -> "PowerState " + s);
  }

  @Override
  public String describe(StepContext ctx) {
    return "reset the system and wait until it is powered on";
  }
}
