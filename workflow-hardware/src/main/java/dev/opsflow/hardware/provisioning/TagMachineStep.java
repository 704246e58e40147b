package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finalizes: gives the machine the {@code tags} in MAAS (creating a tag that does not exist yet),
 * marking it provisioned. Skipped when it has them all. When adding a tag fails, the tags this step
 * added before are removed again before the failure is reported (a failed step is not compensated).
 * Compensation removes only the tags this step added: a tag the machine had before stays.
 */
public final class TagMachineStep extends HardwareStep {

  /**
   * The step, named {@code tag-machine}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public TagMachineStep(HardwareClients clients, DeviceCatalog catalog) {
    super("tag-machine", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    List<String> wanted = ctx.get(ProvisioningKeys.TAGS).orElse(List.of());
    if (wanted.isEmpty()) {
      return Optional.of("no tags given");
    }
    List<String> missing = missing(ctx, wanted);
    return missing.isEmpty()
        ? Optional.of("MAAS machine already has the tags " + wanted)
        : Optional.empty();
  }

  private List<String> missing(StepContext ctx, List<String> wanted) {
    List<String> has = clients().maas(ctx).machine(systemId(ctx)).tagNames();
    return wanted.stream().filter(t -> !has.contains(t)).toList();
  }

  @Override
  public void run(StepContext ctx) {
    String id = systemId(ctx);
    var maas = clients().maas(ctx);
    var added = new ArrayList<String>(ctx.get(ProvisioningKeys.TAGS_ADDED).orElse(List.of()));
    try {
      for (String tag : missing(ctx, ctx.get(ProvisioningKeys.TAGS).orElse(List.of()))) {
        ctx.subTask("Tagging MAAS machine " + id + " with '" + tag + "'");
        maas.createTag(tag, "set by Opsflow provisioning");
        maas.addTag(tag, List.of(id));
        added.add(tag);
        ctx.put(ProvisioningKeys.TAGS_ADDED, List.copyOf(added));
      }
    } catch (RuntimeException e) {
      // A step that fails is never compensated: take back the tags added so far, so that a
      // failed tag-machine leaves the machine's tags as they were (a retry adds them again).
      undo(ctx, e);
      throw e;
    }
  }

  private void undo(StepContext ctx, RuntimeException failure) {
    String id = systemId(ctx);
    var left = new ArrayList<String>();
    for (String tag : ctx.get(ProvisioningKeys.TAGS_ADDED).orElse(List.of())) {
      try {
        ctx.subTask("Removing tag '" + tag + "' from MAAS machine " + id + " after the failure");
        clients().maas(ctx).removeTag(tag, List.of(id));
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
        left.add(tag);
      }
    }
    ctx.put(ProvisioningKeys.TAGS_ADDED, left.isEmpty() ? null : List.copyOf(left));
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    String id = systemId(ctx);
    for (String tag : ctx.get(ProvisioningKeys.TAGS_ADDED).orElse(List.of())) {
      ctx.subTask("Removing tag '" + tag + "' from MAAS machine " + id);
      clients().maas(ctx).removeTag(tag, List.of(id));
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "tag MAAS machine "
        + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("?")
        + " with "
        + ctx.get(ProvisioningKeys.TAGS).orElse(List.of());
  }
}
