package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.FirmwareItem;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Final validation: reads the firmware versions and BIOS attributes back and fails, naming every
 * difference, unless they are all as the device type wants. Read-only. In a dry run, where nothing
 * was changed, it compares against the planned state: the differences the other steps plan to make
 * are reported as planned, and only the others fail.
 */
public final class ValidateProvisioningStep extends HardwareStep {

  /**
   * The step, named {@code validate}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ValidateProvisioningStep(HardwareClients clients, DeviceCatalog catalog) {
    super("validate", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    DeviceType type = deviceType(ctx);
    var problems = new ArrayList<String>();
    var planned = new ArrayList<String>();
    ctx.subTask("Reading the firmware versions back");
    List<FirmwareItem> inventory =
        chain(ctx, Capability.FIRMWARE_INVENTORY, ServerAccess::firmwareInventory);
    List<String> kinds =
        ctx.get(ProvisioningKeys.FIRMWARE_UPDATES).orElse(List.copyOf(FirmwareTarget.KINDS));
    for (FirmwareTarget t : type.firmware()) {
      if (!kinds.contains(t.kind())) {
        continue;
      }
      String version =
          inventory.stream()
              .filter(i -> t.component().equals(i.id()) || t.component().equals(i.name()))
              .map(FirmwareItem::version)
              .findFirst()
              .orElse(null);
      String difference =
          "firmware " + t.component() + " is " + version + ", wanted " + t.version();
      if (!t.version().equals(version)) {
        // A dry run changed nothing: update-firmware plans exactly this difference (a component
        // missing from the inventory it cannot plan for).
        (version != null && ctx.isDryRun() ? planned : problems).add(difference);
      }
    }
    ctx.subTask("Reading the BIOS attributes back");
    Map<String, Object> mismatches =
        AwaitBiosStep.mismatches(ReadBiosStep.attributes(this, ctx), type.biosAttributes());
    // In a dry run apply-bios plans exactly these; a real run must find none left.
    mismatches.forEach(
        (name, shown) ->
            (ctx.isDryRun() ? planned : problems).add("BIOS " + name + " is " + shown));
    if (problems.isEmpty() && !planned.isEmpty()) {
      ctx.subTask(
          "Dry run: as device type "
              + type.name()
              + " wants once the planned changes are made ("
              + String.join("; ", planned)
              + ")");
      return;
    }
    if (!problems.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "validation of device type " + type.name() + " failed: " + String.join("; ", problems),
          null,
          false,
          Map.of("deviceType", type.name(), "problems", problems),
          List.of("run the workflow again: it applies only what still differs"));
    }
    ctx.subTask("Firmware and BIOS as device type " + type.name() + " wants");
  }

  @Override
  public String describe(StepContext ctx) {
    return "read firmware versions and BIOS attributes back and compare them with the device type";
  }
}
