package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.StepContext;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the BIOS change to the system's pending settings through the chain of {@code apply_bios}:
 * over Redfish a {@code PATCH} of the {@code @Redfish.Settings} SettingsObject with {@code
 * If-Match} and apply time OnReset; with a vendor tool its set and commit (a racadm job). {@link
 * AwaitBiosStep} then resets the system so they apply and waits until they read back; keeping the
 * reset there means that when it fails, this step has completed and its compensation clears what it
 * wrote.
 *
 * <p>Skipped when the BIOS already matches the device type. Compensation: writes back the values
 * the attributes had before (only those this step changed), resets and waits until they read back.
 */
public final class ApplyBiosSettingsStep extends HardwareStep {

  /**
   * The step, named {@code apply-bios}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ApplyBiosSettingsStep(HardwareClients clients, DeviceCatalog catalog) {
    super("apply-bios", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    BiosChange change = ctx.require(ProvisioningKeys.BIOS_CHANGE);
    if (change.isEmpty()) {
      return Optional.of(
          "BIOS already as device type "
              + ctx.require(ProvisioningKeys.DEVICE_TYPE)
              + " wants ("
              + deviceType(ctx).biosAttributes().size()
              + " attributes checked): nothing to change");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    BiosChange change = ctx.require(ProvisioningKeys.BIOS_CHANGE);
    ctx.subTask("Uploading the BIOS settings: " + change.describe());
    chain(
        ctx,
        Capability.APPLY_BIOS,
        access -> {
          access.stageBios(change.wanted());
          return null;
        });
    ctx.put(ProvisioningKeys.BIOS_APPLIED, true);
  }

  /** Resets the system so pending settings apply: On when it is off, else ForceRestart. */
  static void reset(HardwareStep step, StepContext ctx) {
    step.chain(
        ctx,
        Capability.POWER,
        access -> {
          String power = access.powerState();
          String type = "Off".equalsIgnoreCase(power) ? "On" : "ForceRestart";
          ctx.subTask(
              "Resetting "
                  + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("the server")
                  + " ("
                  + type
                  + " via "
                  + access.method().configName()
                  + ", power was "
                  + power
                  + ")");
          access.reset(type);
          return null;
        });
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (!ctx.get(ProvisioningKeys.BIOS_APPLIED).orElse(false)) {
      return;
    }
    BiosChange change = ctx.require(ProvisioningKeys.BIOS_CHANGE);
    ctx.subTask("Restoring the BIOS attributes: " + change.before());
    chain(
        ctx,
        Capability.APPLY_BIOS,
        access -> {
          access.stageBios(change.before());
          return null;
        });
    reset(this, ctx);
    Await.<Map<String, Object>>on(ctx, "BIOS attributes " + change.before().keySet() + " restored")
        .every(java.time.Duration.ofSeconds(10))
        .backoff(1.5)
        .timeout(deviceType(ctx).timeouts().bios())
        .until(
            () -> ReadBiosStep.attributes(this, ctx),
            now -> AwaitBiosStep.mismatches(now, change.before()).isEmpty(),
            now -> AwaitBiosStep.mismatches(now, change.before()));
  }

  @Override
  public String describe(StepContext ctx) {
    return ctx.get(ProvisioningKeys.BIOS_CHANGE)
        .map(
            c ->
                c.isEmpty()
                    ? "BIOS already matches: nothing to change"
                    : "set BIOS attributes "
                        + c.describe()
                        + " (staged for the next reset) and reset")
        .orElse("set the device type's BIOS attributes");
  }
}
