package dev.opsflow.hardware.provisioning;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a provisioning step asks of a server, each served by the first method of its chain that can
 * (see {@link MethodChain}). The names are the configuration's ({@code read_bios}...).
 */
public enum Capability {
  /** Read the current BIOS attributes. */
  READ_BIOS("read_bios"),
  /** Stage BIOS attributes to apply at the next reset. */
  APPLY_BIOS("apply_bios"),
  /** Read and set the BMC's IPv4 configuration. */
  BMC_NETWORK("bmc_network"),
  /** Read the power state and reset the server. */
  POWER("power"),
  /** Set the next boot device. */
  BOOT_DEVICE("boot_device"),
  /** Read the installed firmware versions. */
  FIRMWARE_INVENTORY("firmware_inventory"),
  /** Install a firmware image. */
  FIRMWARE_UPDATE("firmware_update");

  private final String configName;

  Capability(String configName) {
    this.configName = configName;
  }

  /** {@return the name in configuration files and results, {@code read_bios}} */
  public String configName() {
    return configName;
  }

  /**
   * The capability named {@code name} ({@code read_bios} or {@code READ_BIOS}).
   *
   * @param name the name, in either case
   * @return the capability
   */
  public static Optional<Capability> find(String name) {
    return Arrays.stream(values())
        .filter(c -> c.configName.equalsIgnoreCase(name) || c.name().equalsIgnoreCase(name))
        .findFirst();
  }
}
