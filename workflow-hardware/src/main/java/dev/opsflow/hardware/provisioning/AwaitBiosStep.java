package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resets the system so the pending BIOS settings apply ({@code On} when it is off, {@code
 * ForceRestart} when on; requested once, remembered in the context), then polls the attributes
 * until every changed one reads back as wanted, within the device type's BIOS timeout; past it, the
 * error names the attributes that still differ. Skipped when this run changed nothing. A {@link
 * PollingStep}.
 */
public final class AwaitBiosStep extends HardwareStep implements PollingStep {

  /**
   * The step, named {@code await-bios}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public AwaitBiosStep(HardwareClients clients, DeviceCatalog catalog) {
    super("await-bios", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(ProvisioningKeys.BIOS_APPLIED).orElse(false)
        ? Optional.empty()
        : Optional.of("no BIOS change was applied in this run");
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    Map<String, Object> wanted = ctx.require(ProvisioningKeys.BIOS_CHANGE).wanted();
    if (!ctx.get(ProvisioningKeys.BIOS_RESET).orElse(false)) {
      ApplyBiosSettingsStep.reset(this, ctx);
      ctx.put(ProvisioningKeys.BIOS_RESET, true);
      ctx.subTask("Waiting until the BIOS reads back " + wanted);
    }
    return Await.<Map<String, Object>>on(ctx, "BIOS attributes " + wanted.keySet() + " to apply")
        .every(Duration.ofSeconds(10))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(60))
        .timeout(deviceType(ctx).timeouts().bios())
        .poll(
            polling,
            () -> ReadBiosStep.attributes(this, ctx),
            now -> mismatches(now, wanted).isEmpty(),
            now -> "still different: " + mismatches(now, wanted));
  }

  /**
   * Each attribute of {@code wanted} that {@code current} does not have as wanted: its value now.
   */
  static Map<String, Object> mismatches(Map<String, Object> current, Map<String, Object> wanted) {
    var out = new LinkedHashMap<String, Object>();
    wanted.forEach(
        (name, value) -> {
          if (!BiosChange.same(current.get(name), value)) {
            out.put(name, current.get(name) + " (wanted " + value + ")");
          }
        });
    return out;
  }

  @Override
  public String describe(StepContext ctx) {
    return "reset the system and wait until the BIOS attributes read back as wanted";
  }
}
