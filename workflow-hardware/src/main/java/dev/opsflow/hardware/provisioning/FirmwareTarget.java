package dev.opsflow.hardware.provisioning;

import java.util.Objects;

/**
 * A firmware version a device type wants on one component. Immutable.
 *
 * @param component the FirmwareInventory entry, by its {@code Id} ({@code BIOS}) or {@code Name}
 *     ({@code System BIOS})
 * @param version the version wanted, compared as text with the inventory's {@code Version}
 * @param imageUri where the BMC fetches the image for {@code UpdateService.SimpleUpdate}
 * @param transferProtocol HTTP, HTTPS, SFTP...; null lets the BMC infer it from the URI
 */
public record FirmwareTarget(
    String component, String version, String imageUri, String transferProtocol) {

  /** Checks the required parts. */
  public FirmwareTarget {
    Objects.requireNonNull(component, "component must not be null");
    Objects.requireNonNull(version, "version must not be null");
    Objects.requireNonNull(imageUri, "imageUri must not be null");
  }
}
