package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasMachine;
import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Polls the machine until commissioning and testing end in Ready (4); there is no "Commissioned"
 * status. Fails at once on Failed commissioning (2), Failed testing (22) or Broken (8) with the
 * machine's {@code status_message}, and after the device type's commission timeout naming the last
 * status. Each new status becomes the sub-task. Skipped when no commissioning is running (the
 * machine was commissioned before the run). A {@link PollingStep}: a started run holds no thread
 * between polls.
 */
public final class AwaitCommissioningStep extends HardwareStep implements PollingStep {

  /**
   * The step, named {@code await-commissioned}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public AwaitCommissioningStep(HardwareClients clients, DeviceCatalog catalog) {
    super("await-commissioned", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.get(ProvisioningKeys.COMMISSION_STARTED).orElse(false)) {
      return Optional.empty();
    }
    MaasMachine m = clients().maas(ctx).machine(systemId(ctx));
    if (m.is(MaasStatus.COMMISSIONING) || m.is(MaasStatus.TESTING)) {
      return Optional.empty();
    }
    return Optional.of("no commissioning to wait for: MAAS machine is " + m.describeStatus());
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    String id = systemId(ctx);
    var maas = clients().maas(ctx);
    return Await.<MaasMachine>on(ctx, "commissioning of MAAS machine " + id)
        .every(Duration.ofSeconds(5))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(30))
        .timeout(deviceType(ctx).timeouts().commission())
        .onPoll(
            m -> {
              ctx.subTask("MAAS machine " + id + ": " + m.describeStatus());
              ctx.progress(progressOf(m));
            })
        .failWhen(m -> m.statusValue().map(MaasStatus::failsCommissioning).orElse(false))
        .poll(
            polling,
            () -> maas.machine(id),
            m -> m.is(MaasStatus.READY),
            MaasMachine::describeStatus);
  }

  private static int progressOf(MaasMachine m) {
    if (m.is(MaasStatus.READY)) {
      return 100;
    }
    return m.is(MaasStatus.TESTING) ? 70 : 20;
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until MAAS machine "
        + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("?")
        + " is Ready after commissioning and testing";
  }
}
