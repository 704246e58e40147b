package dev.opsflow.hardware.provisioning;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a capability reaches a server: the BMC's Redfish service, a vendor tool run over SSH on the
 * server ({@code ilorest}, {@code racadm}, {@code sum}), or IPMI. The names are the seed's {@code
 * fallback_methods}: {@code redfish}, {@code vendor_tools}, {@code ipmi}.
 */
public enum AccessMethod {
  /** The BMC's Redfish service. */
  REDFISH("redfish"),
  /** The device type's vendor tool, run over SSH on the server. */
  VENDOR_TOOLS("vendor_tools"),
  /** IPMI over LAN ({@code ipmitool -I lanplus}). */
  IPMI("ipmi");

  private final String configName;

  AccessMethod(String configName) {
    this.configName = configName;
  }

  /** {@return the name in configuration files and results, {@code vendor_tools}} */
  public String configName() {
    return configName;
  }

  /**
   * The method named {@code name} ({@code vendor_tools} or {@code VENDOR_TOOLS}).
   *
   * @param name the name, in either case
   * @return the method
   */
  public static Optional<AccessMethod> find(String name) {
    return Arrays.stream(values())
        .filter(m -> m.configName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name))
        .findFirst();
  }
}
