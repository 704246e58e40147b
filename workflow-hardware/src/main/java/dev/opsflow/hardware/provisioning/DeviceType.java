package dev.opsflow.hardware.provisioning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kind of server ({@code a1.c5.large}) and how it is provisioned: the BIOS attributes to set, the
 * firmware versions wanted, the timeouts of its slow operations. Read from a {@link DeviceCatalog}.
 * Immutable.
 *
 * @param name the type's name
 * @param description what it is, for people
 * @param biosAttributes the Redfish BIOS attributes to set (name to value: text, number or boolean)
 * @param firmware the firmware versions wanted, one per component
 * @param timeouts the timeouts of its slow operations
 * @param vendorTools the vendor tools its servers have, in order of preference ({@code racadm},
 *     {@code ilorest}, {@code sum}); the first is the one the chain's {@code vendor_tools} runs
 * @param methods each capability's own chain, overriding the default order
 * @param firmwarePriority the order of firmware updates by kind (default bmc, bios, nic, storage)
 */
public record DeviceType(
    String name,
    String description,
    Map<String, Object> biosAttributes,
    List<FirmwareTarget> firmware,
    DeviceTimeouts timeouts,
    List<String> vendorTools,
    Map<Capability, List<AccessMethod>> methods,
    List<String> firmwarePriority) {

  /** BMC first (a new BMC handles the rest better), then BIOS, then the devices. */
  public static final List<String> DEFAULT_FIRMWARE_PRIORITY =
      List.of("bmc", "bios", "nic", "storage", "other");

  /**
   * Copies the collections (the attributes keep their order).
   *
   * @param name the type's name
   * @param description what it is, for people
   * @param biosAttributes the Redfish BIOS attributes to set (name to value: text, number or
   *     boolean)
   * @param firmware the firmware versions wanted, one per component
   * @param timeouts the timeouts of its slow operations
   * @param vendorTools the vendor tools its servers have, in order of preference ({@code racadm},
   *     {@code ilorest}, {@code sum}); the first is the one the chain's {@code vendor_tools} runs
   * @param methods each capability's own chain, overriding the default order
   * @param firmwarePriority the order of firmware updates by kind (default bmc, bios, nic, storage)
   */
  public DeviceType {
    Objects.requireNonNull(name, "name must not be null");
    description = description == null ? "" : description;
    biosAttributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(biosAttributes));
    firmware = List.copyOf(firmware);
    timeouts = timeouts == null ? DeviceTimeouts.DEFAULTS : timeouts;
    vendorTools = vendorTools == null ? List.of() : List.copyOf(vendorTools);
    methods = methods == null ? Map.of() : Map.copyOf(methods);
    firmwarePriority =
        firmwarePriority == null || firmwarePriority.isEmpty()
            ? DEFAULT_FIRMWARE_PRIORITY
            : List.copyOf(firmwarePriority);
  }

  /**
   * A type without vendor tools, with the default chains and firmware order.
   *
   * @param name the type's name
   * @param description what it is, for people
   * @param biosAttributes the Redfish BIOS attributes to set (name to value: text, number or
   *     boolean)
   * @param firmware the firmware versions wanted, one per component
   * @param timeouts the timeouts of its slow operations
   */
  public DeviceType(
      String name,
      String description,
      Map<String, Object> biosAttributes,
      List<FirmwareTarget> firmware,
      DeviceTimeouts timeouts) {
    this(name, description, biosAttributes, firmware, timeouts, List.of(), Map.of(), List.of());
  }
}
