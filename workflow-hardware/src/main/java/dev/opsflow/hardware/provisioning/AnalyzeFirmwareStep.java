package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.FirmwareItem;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the installed firmware (chain {@code firmware_inventory}: the BMC's Redfish
 * FirmwareInventory, else the vendor tool's, {@code racadm getversion}) with the device type's:
 * each component (found by Id, else by Name) whose Version differs from the wanted one is out of
 * date, and goes to {@link ProvisioningKeys#FIRMWARE_PLAN}, only the kinds {@code firmwareUpdates}
 * selects, in the device type's priority order (BMC, BIOS, NIC, storage by default). A component
 * the inventory lacks, or that is not Updateable, fails here, before any update. Read-only.
 */
public final class AnalyzeFirmwareStep extends HardwareStep {

  /**
   * The step, named {@code analyze-firmware}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public AnalyzeFirmwareStep(HardwareClients clients, DeviceCatalog catalog) {
    super("analyze-firmware", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    DeviceType type = deviceType(ctx);
    ctx.subTask("Reading the firmware inventory");
    List<FirmwareItem> inventory =
        chain(ctx, Capability.FIRMWARE_INVENTORY, ServerAccess::firmwareInventory);
    var updates = new ArrayList<FirmwarePlan.Update>();
    List<String> kinds =
        ctx.get(ProvisioningKeys.FIRMWARE_UPDATES).orElse(List.copyOf(FirmwareTarget.KINDS));
    for (FirmwareTarget target : type.firmware()) {
      if (!kinds.contains(target.kind())) {
        continue;
      }
      FirmwareItem item =
          inventory.stream()
              .filter(i -> target.component().equals(i.id()))
              .findFirst()
              .or(
                  () ->
                      inventory.stream()
                          .filter(i -> target.component().equals(i.name()))
                          .findFirst())
              .orElseThrow(
                  () ->
                      new WorkflowException(
                          ErrorKind.CONFIGURATION,
                          "device type "
                              + type.name()
                              + " wants firmware '"
                              + target.component()
                              + "', which the BMC's inventory does not list; it has "
                              + inventory.stream().map(FirmwareItem::id).toList()));
      if (target.version().equals(item.version())) {
        continue;
      }
      if (!item.updateable()) {
        throw new WorkflowException(
            ErrorKind.CONFIGURATION,
            "firmware '"
                + item.id()
                + "' is at "
                + item.version()
                + ", not "
                + target.version()
                + ", and the BMC says it is not Updateable");
      }
      updates.add(new FirmwarePlan.Update(item.uri(), item.version(), target));
    }
    // The type's priority: BMC first by default (a current BMC flashes the rest more reliably).
    updates.sort(
        java.util.Comparator.comparingInt(
            u -> {
              int at = type.firmwarePriority().indexOf(u.target().kind());
              return at < 0 ? Integer.MAX_VALUE : at;
            }));
    var plan = new FirmwarePlan(updates);
    ctx.put(ProvisioningKeys.FIRMWARE_PLAN, plan);
    ctx.subTask(
        plan.isEmpty()
            ? "Firmware up to date"
            : "Out of date: " + updates.stream().map(FirmwarePlan.Update::describe).toList());
  }

  @Override
  public String describe(StepContext ctx) {
    return "compare the firmware inventory with device type "
        + ctx.get(ProvisioningKeys.DEVICE_TYPE).orElse("?");
  }
}
