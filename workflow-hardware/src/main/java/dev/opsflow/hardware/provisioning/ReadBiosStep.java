package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the system's current BIOS attributes (the chain of {@code read_bios}: Redfish, the vendor
 * tool over SSH...) and compares them with the device type's template: the difference (each
 * attribute's value now and the value wanted) goes to {@link ProvisioningKeys#BIOS_CHANGE} for
 * {@link ApplyBiosSettingsStep}. An attribute of the template that the system does not have fails
 * here, before anything is changed. Read-only.
 */
public final class ReadBiosStep extends HardwareStep {

  /**
   * The step, named {@code read-bios}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ReadBiosStep(HardwareClients clients, DeviceCatalog catalog) {
    super("read-bios", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    DeviceType type = deviceType(ctx);
    ctx.subTask("Exporting the current BIOS attributes");
    Map<String, Object> current = attributes(this, ctx);
    ctx.subTask("Applying the template of device type " + type.name());
    List<String> unknown = new ArrayList<>();
    type.biosAttributes()
        .keySet()
        .forEach(
            name -> {
              if (!current.containsKey(name)) {
                unknown.add(name);
              }
            });
    if (!unknown.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "device type "
              + type.name()
              + " sets BIOS attributes "
              + unknown
              + " that the system at "
              + ctx.get(ProvisioningKeys.BMC_ADDRESS).orElse("?")
              + " does not have; it has "
              + new TreeSet<>(current.keySet()),
          null,
          false,
          Map.of("deviceType", type.name(), "unknownAttributes", unknown),
          List.of(
              "fix the device type's bios section, or check that deviceType matches the server"));
    }
    BiosChange change = BiosChange.between(current, type.biosAttributes());
    ctx.put(ProvisioningKeys.BIOS_CHANGE, change);
    ctx.subTask(
        change.isEmpty()
            ? "BIOS matches device type " + type.name()
            : "BIOS changes: " + change.describe());
  }

  /** Reads the attributes (for steps that check them again). */
  static Map<String, Object> attributes(HardwareStep step, StepContext ctx) {
    return step.chain(ctx, Capability.READ_BIOS, ServerAccess::readBios);
  }

  @Override
  public String describe(StepContext ctx) {
    return "read the BIOS attributes and compare them with device type "
        + ctx.get(ProvisioningKeys.DEVICE_TYPE).orElse("?");
  }
}
