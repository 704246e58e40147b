package dev.opsflow.hardware.redfish;

import java.util.List;

/**
 * A ComputerSystem, with the links provisioning follows. Immutable.
 *
 * @param uri its {@code @odata.id}
 * @param id its Id
 * @param powerState On, Off, PoweringOn, PoweringOff
 * @param manufacturer the manufacturer
 * @param model the model
 * @param serialNumber the serial number
 * @param biosUri the Bios resource, or null
 * @param resetTarget the {@code #ComputerSystem.Reset} action's target, or null
 * @param resetTypes the ResetType values the action allows (empty when not advertised)
 */
public record RedfishSystem(
    String uri,
    String id,
    String powerState,
    String manufacturer,
    String model,
    String serialNumber,
    String biosUri,
    String resetTarget,
    List<String> resetTypes) {

  /**
   * Copies the reset types.
   *
   * @param uri its {@code @odata.id}
   * @param id its Id
   * @param powerState On, Off, PoweringOn, PoweringOff
   * @param manufacturer the manufacturer
   * @param model the model
   * @param serialNumber the serial number
   * @param biosUri the Bios resource, or null
   * @param resetTarget the {@code #ComputerSystem.Reset} action's target, or null
   * @param resetTypes the ResetType values the action allows (empty when not advertised)
   */
  public RedfishSystem {
    resetTypes = resetTypes == null ? List.of() : List.copyOf(resetTypes);
  }
}
