package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasMachine;
import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Starts commissioning the machine in MAAS ({@code POST machines/{id}/?op=commission}); {@link
 * AwaitCommissioningStep} waits for it. With SSH inputs it passes {@code enable_ssh=1}, so the
 * machine stays on and reachable after commissioning.
 *
 * <p>Skipped when the machine is commissioned already (Ready, Allocated, Deploying, Deployed)
 * unless {@code recommission} is set, and when commissioning or testing is in progress (then it is
 * awaited, not started twice). Commissioning cannot be undone: no compensation.
 */
public final class CommissionMachineStep extends HardwareStep {
  private static final Set<MaasStatus> COMMISSIONED =
      Set.of(MaasStatus.READY, MaasStatus.ALLOCATED, MaasStatus.DEPLOYING, MaasStatus.DEPLOYED);
  private static final Set<MaasStatus> COMMISSIONABLE =
      Set.of(
          MaasStatus.NEW,
          MaasStatus.READY,
          MaasStatus.FAILED_COMMISSIONING,
          MaasStatus.FAILED_TESTING,
          MaasStatus.BROKEN);

  /**
   * The step, named {@code commission}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public CommissionMachineStep(HardwareClients clients, DeviceCatalog catalog) {
    super("commission", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    MaasMachine m = clients().maas(ctx).machine(systemId(ctx));
    MaasStatus status = m.statusValue().orElse(null);
    if (status == MaasStatus.COMMISSIONING || status == MaasStatus.TESTING) {
      return Optional.of(
          "commissioning of MAAS machine "
              + m.systemId()
              + " is in progress ("
              + m.describeStatus()
              + "): awaiting it instead of starting another");
    }
    if (COMMISSIONED.contains(status) && !ctx.get(ProvisioningKeys.RECOMMISSION).orElse(false)) {
      return Optional.of(
          "MAAS machine "
              + m.systemId()
              + " is commissioned already ("
              + m.describeStatus()
              + "); set recommission=true to commission it again");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    String id = systemId(ctx);
    var maas = clients().maas(ctx);
    MaasMachine m = maas.machine(id);
    if (!m.statusValue().map(COMMISSIONABLE::contains).orElse(false)) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "MAAS machine "
              + id
              + " cannot be commissioned in status "
              + m.describeStatus()
              + "; expected New, Ready, Failed commissioning, Failed testing or Broken",
          null,
          false,
          java.util.Map.of("systemId", id, "status", m.status()),
          java.util.List.of("release the machine in MAAS first if it is allocated or deployed"));
    }
    var options = new LinkedHashMap<String, Object>();
    if (ctx.get(ProvisioningKeys.SSH_USER).isPresent()) {
      options.put("enable_ssh", 1);
    }
    ctx.subTask("Commissioning MAAS machine " + id + " (" + m.hostname() + ")");
    maas.commission(id, options);
    ctx.put(ProvisioningKeys.COMMISSION_STARTED, true);
  }

  @Override
  public String describe(StepContext ctx) {
    return "commission MAAS machine "
        + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("?")
        + " (POST machines/{id}/?op=commission)"
        + (ctx.get(ProvisioningKeys.SSH_USER).isPresent() ? " with enable_ssh=1" : "");
  }
}
