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
 * @param kind bmc, bios, nic, storage or other: what {@code firmwareUpdates} selects and the
 *     priority orders (default: from the component's name)
 * @param sha256 the image's SHA-256 in hex, checked before any upload; null: not checked
 */
public record FirmwareTarget(
    String component,
    String version,
    String imageUri,
    String transferProtocol,
    String kind,
    String sha256) {

  /** The kinds of firmware. */
  public static final java.util.Set<String> KINDS =
      java.util.Set.of("bmc", "bios", "nic", "storage", "other");

  /**
   * Checks the required parts.
   *
   * @param component the FirmwareInventory entry, by its {@code Id} ({@code BIOS}) or {@code Name}
   *     ({@code System BIOS})
   * @param version the version wanted, compared as text with the inventory's {@code Version}
   * @param imageUri where the BMC fetches the image for {@code UpdateService.SimpleUpdate}
   * @param transferProtocol HTTP, HTTPS, SFTP...; null lets the BMC infer it from the URI
   * @param kind bmc, bios, nic, storage or other: what {@code firmwareUpdates} selects and the
   *     priority orders (default: from the component's name)
   * @param sha256 the image's SHA-256 in hex, checked before any upload; null: not checked
   */
  public FirmwareTarget {
    Objects.requireNonNull(component, "component must not be null");
    Objects.requireNonNull(version, "version must not be null");
    Objects.requireNonNull(imageUri, "imageUri must not be null");
    kind = kind == null ? kindOf(component) : kind.toLowerCase(java.util.Locale.ROOT);
    sha256 = sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A target of the kind its component's name says, without a checksum.
   *
   * @param component the FirmwareInventory entry, by its {@code Id} ({@code BIOS}) or {@code Name}
   *     ({@code System BIOS})
   * @param version the version wanted, compared as text with the inventory's {@code Version}
   * @param imageUri where the BMC fetches the image for {@code UpdateService.SimpleUpdate}
   * @param transferProtocol HTTP, HTTPS, SFTP...; null lets the BMC infer it from the URI
   */
  public FirmwareTarget(
      String component, String version, String imageUri, String transferProtocol) {
    this(component, version, imageUri, transferProtocol, null, null);
  }

  /**
   * bmc for BMC/iDRAC/iLO, bios for BIOS/UEFI/HPE's System ROM, nic for NIC/network, storage for
   * RAID/disks.
   */
  static String kindOf(String component) {
    String c = component.toLowerCase(java.util.Locale.ROOT);
    if (c.contains("bmc") || c.contains("idrac") || c.contains("ilo")) {
      return "bmc";
    }
    if (c.contains("bios") || c.contains("uefi") || c.contains("system rom")) {
      return "bios";
    }
    if (c.contains("nic") || c.contains("network") || c.contains("ethernet")) {
      return "nic";
    }
    if (c.contains("raid") || c.contains("storage") || c.contains("disk") || c.contains("nvme")) {
      return "storage";
    }
    return "other";
  }
}
