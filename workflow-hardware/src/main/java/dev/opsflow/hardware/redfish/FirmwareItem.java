package dev.opsflow.hardware.redfish;

/**
 * One entry of the UpdateService's FirmwareInventory. Immutable.
 *
 * @param uri its {@code @odata.id}
 * @param id its Id (BIOS, BMC...)
 * @param name its name
 * @param version the installed version
 * @param updateable whether it can be updated
 */
public record FirmwareItem(
    String uri, String id, String name, String version, boolean updateable) {}
